package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	"campusnews/internal/audit"
	"campusnews/internal/media"
	"campusnews/internal/news"
)

// photoLoader is who stores the demo photographs in the media library.
var photoLoader = media.Actor{Actor: audit.Actor{Via: "demo site"}, CanChangeAny: true}

// photoWorkers is how many photos are checked and resized at once: the media store decodes
// two at a time, and resizing is most of a seed's time.
const photoWorkers = 2

// LoadWithPhotos is Load with the demo photographs: each is stored through the media library
// (checked, cleaned, resized to its variants, described with its alt text, caption and
// credit) and becomes its article's cover, whose made-up photographer credit it replaces.
//
// The photos are stored before the batch of articles starts, each in the media store's own
// transaction: SQLite has one writer, so the batch cannot wait on them. A site that already
// has content is refused before any photo is stored, so `seed --if-empty` costs nothing
// there. If the batch fails, the photos stored for it are deleted again: a failed load leaves
// the library as it was, with no images that no article uses.
func LoadWithPhotos(ctx context.Context, svc *news.Service, store *media.Store) (Stats, error) {
	tree, err := svc.Tree(ctx)
	if err != nil {
		return Stats{}, err
	}
	if len(tree.Sections) > 0 {
		return Stats{}, ErrNotEmpty
	}
	covers, err := storePhotos(ctx, store)
	if err == nil {
		var st Stats
		if st, err = load(ctx, svc, covers); err == nil {
			st.Photos = len(covers)
			return st, nil
		}
	}
	return Stats{}, errors.Join(err, removePhotos(context.WithoutCancel(ctx), store, covers))
}

// storePhotos stores every demo photo and returns the media id of each by its article's title.
// On an error the photos already stored are among those returned, for the caller to remove.
func storePhotos(ctx context.Context, store *media.Store) (map[string]int64, error) {
	covers := make(map[string]int64, len(demoPhotos))
	var mu sync.Mutex
	var errs []error
	next := make(chan demoPhoto)
	var wg sync.WaitGroup
	for range photoWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range next {
				id, err := storePhoto(ctx, store, p)
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				} else {
					covers[p.ArticleTitle] = id
				}
				mu.Unlock()
			}
		}()
	}
	for _, p := range demoPhotos {
		mu.Lock()
		failed := len(errs) > 0
		mu.Unlock()
		if failed {
			break
		}
		next <- p
	}
	close(next)
	wg.Wait()
	return covers, errors.Join(errs...)
}

func storePhoto(ctx context.Context, store *media.Store, p demoPhoto) (int64, error) {
	b, err := readPhoto(p)
	if err != nil {
		return 0, err
	}
	m, err := store.Save(ctx, photoLoader, bytes.NewReader(b), p.File,
		media.UploadInput{Alt: p.Alt, Caption: p.Caption, Credit: p.Credit})
	if err != nil {
		return 0, fmt.Errorf("demo: photo %s: %w", p.File, err)
	}
	return m.ID, nil
}

// removePhotos deletes the photos a failed load stored.
func removePhotos(ctx context.Context, store *media.Store, covers map[string]int64) error {
	var errs []error
	for _, id := range covers {
		if err := store.Delete(ctx, photoLoader, id); err != nil && !errors.Is(err, media.ErrNotFound) {
			errs = append(errs, fmt.Errorf("demo: remove photo %d: %w", id, err))
		}
	}
	return errors.Join(errs...)
}
