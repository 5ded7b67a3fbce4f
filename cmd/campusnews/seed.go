package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"gorm.io/gorm"

	"campusnews/internal/changes"
	"campusnews/internal/demo"
	"campusnews/internal/media"
	"campusnews/internal/news"
)

func seedCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfg := flags("seed", stderr)
	n := fs.Int("articles", 0, "add N generated articles for load tests instead of the demo site")
	ifEmpty := fs.Bool("if-empty", false, "load the demo site only when the database has no content, else do nothing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return withDB(ctx, cfg, func(db *gorm.DB) error {
		w, err := changes.NewWatcher(ctx, db)
		if err != nil {
			return err
		}
		svc := news.NewService(db, w)
		if *n > 0 {
			return demo.Generate(ctx, svc, *n, stdout)
		}
		// The demo's photographs go through the media library like any upload.
		store := media.NewStore(db, cfg.MediaDir(), cfg.MaxUpload, w, svc)
		st, err := demo.LoadWithPhotos(ctx, svc, store)
		if errors.Is(err, demo.ErrNotEmpty) && *ifEmpty {
			fmt.Fprintln(stdout, "database already has content; demo not loaded")
			return nil
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "loaded demo site: %d sections, %d categories, %d articles, %d tags, %d photos\n",
			st.Sections, st.Categories, st.Articles, st.Tags, st.Photos)
		return nil
	})
}
