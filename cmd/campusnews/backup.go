package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"gorm.io/gorm"

	"campusnews/internal/database"
)

func backupCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfg := flags("backup", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	// Flags may also follow the file name, as in "campusnews backup FILE --data DIR".
	file, rest := fs.Arg(0), fs.Args()
	if len(rest) > 0 {
		rest = rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if file == "" || fs.NArg() != 0 {
		return errors.New("backup: name the file to write, e.g. campusnews backup backups/news-2026-11-26.db")
	}
	if cfg.Postgres() {
		// pg_dump connects by itself; it needs nothing of this process but the URL.
		if err := cfg.Validate(); err != nil {
			return err
		}
		if err := database.BackupPostgres(ctx, cfg.Database, file); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "backed up %s to %s (restore with pg_restore)\n", cfg.DatabaseLabel(), file)
		return nil
	}
	return withDB(ctx, cfg, func(db *gorm.DB) error {
		if err := database.Backup(ctx, db, file); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "backed up %s to %s\n", cfg.DBPath(), file)
		return nil
	})
}
