package main

import (
	"context"
	"fmt"
	"io"

	"gorm.io/gorm"

	"campusnews/internal/database"
)

func migrateCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfg := flags("migrate", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	return withDB(ctx, cfg, func(db *gorm.DB) error {
		v, err := database.Version(ctx, db)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "database %s is at schema version %d\n", cfg.DatabaseLabel(), v)
		return nil
	})
}
