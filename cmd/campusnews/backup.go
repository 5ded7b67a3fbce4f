package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"campusnews/internal/database"
)

func backupCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfg := flags("backup", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("backup: name the file to write, e.g. campusnews backup backups/news-2026-11-26.db")
	}
	db, err := openDB(ctx, cfg, nil)
	if err != nil {
		return err
	}
	defer database.Close(db) //nolint:errcheck
	if err := database.Backup(ctx, db, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s\n", cfg.DBPath(), fs.Arg(0))
	return nil
}
