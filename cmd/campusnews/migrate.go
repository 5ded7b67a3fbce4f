package main

import (
	"context"
	"fmt"
	"io"

	"campusnews/internal/database"
)

func migrateCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfg := flags("migrate", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openDB(ctx, cfg, nil)
	if err != nil {
		return err
	}
	defer database.Close(db) //nolint:errcheck
	v, err := database.Version(ctx, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database %s is at schema version %d\n", cfg.DBPath(), v)
	return nil
}
