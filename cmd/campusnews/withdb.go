package main

import (
	"context"

	"gorm.io/gorm"

	"campusnews/internal/config"
	"campusnews/internal/database"
)

// withDB opens and migrates the database of cfg, runs fn with it and closes it again, so a
// subcommand holds the database only while it works.
func withDB(ctx context.Context, cfg *config.Config, fn func(db *gorm.DB) error) error {
	db, err := openDB(ctx, cfg, nil)
	if err != nil {
		return err
	}
	defer database.Close(db) //nolint:errcheck // writes have committed by now; a failed close loses nothing
	return fn(db)
}
