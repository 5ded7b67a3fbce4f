package web

import (
	"context"
	"time"

	"campusnews/internal/media"
	"campusnews/internal/news"
)

// The sizes attribute of a card's photo wherever cards are drawn: how wide the layout in
// site.css shows it, so the browser fetches the smallest variant that is sharp enough.
const (
	// Listings and search results: a thumbnail beside the text.
	sizesRow = "(min-width: 40rem) 15rem, 7rem"
	// The home page's other headlines: a small thumbnail beside each title.
	sizesTop = "8rem"
	// Home page section blocks: four across on a desktop, two on a tablet, and on a phone
	// the block's first story full width and the others as thumbnails.
	sizesGrid      = "(min-width: 64rem) 16rem, (min-width: 40rem) 45vw, 7rem"
	sizesGridFirst = "(min-width: 64rem) 16rem, (min-width: 40rem) 45vw, 100vw"
	// The home page's lead story: two thirds of the page on a desktop, full width below.
	sizesLead = "(min-width: 72rem) 46rem, (min-width: 56rem) 64vw, 100vw"
	// Related news under an article: two across from 40rem, thumbnails on a phone.
	sizesRelated = "(min-width: 40rem) 22rem, 7rem"
)

// eagerCards is how many photos at the top of a listing load at once: what the first screen
// of a phone or a desktop shows (a card without a photo is a few lines, so it is the photos
// that fill the screen). Photos further down load as they are neared.
const eagerCards = 3

// covers are the cover images of the cards of one page, by media id.
type covers map[int64]*media.Media

// coverIDs lists the cover images of the cards in lists.
func coverIDs(lists ...[]ArticleCard) []int64 {
	var ids []int64
	for _, l := range lists {
		for i := range l {
			if id := l[i].CoverMediaID; id != nil {
				ids = append(ids, *id)
			}
		}
	}
	return ids
}

// coversOf reads the cover images of every card in lists (and of the media extra names) in
// one query: a page of cards costs one read of the library, never one per card.
func (s *Server) coversOf(ctx context.Context, extra []int64, lists ...[]ArticleCard) (covers, error) {
	ids := append(coverIDs(lists...), extra...)
	if len(ids) == 0 {
		return nil, nil
	}
	return s.media.ByIDs(ctx, ids)
}

// set gives each card its cover, shown at sizes. The first eager photos load at once; the
// others are lazy. A card whose image is gone stays a text-only card.
func (cv covers) set(cards []ArticleCard, sizes string, eager int) {
	shown := 0
	for i := range cards {
		cards[i].Cover = nil
		if id := cards[i].CoverMediaID; id != nil {
			if m := cv[*id]; m != nil {
				img := cardImage(m, sizes, 480)
				img.Lazy = shown >= eager
				shown++
				cards[i].Cover = img
			}
		}
	}
}

// cardImage is m as a responsive image at sizes, with src the variant at least width wide
// for browsers that read no srcset. width and height are the picture's own, so the page
// keeps its place for it before it arrives.
func cardImage(m *media.Media, sizes string, width int) *Image {
	src, srcset := m.Sources(width)
	return &Image{Src: src, SrcSet: srcset, Sizes: sizes, Width: m.Width, Height: m.Height,
		Alt: m.AltText(), Caption: m.Caption, Credit: m.Credit}
}

// shareImage makes m the page's image for link previews (OpenGraph, Twitter cards): a copy
// wide enough for their large cards, with its size and description.
func (s *Server) shareImage(b *Base, m *media.Media) {
	u, w, h := m.Sized(1200)
	b.OGImage, b.OGImageWidth, b.OGImageHeight, b.OGImageAlt = s.cfg.BaseURL+u, w, h, m.AltText()
}

// listCards is a listing's page of articles as cards with their photos: thumbnails beside
// the text, the first few loaded at once.
func (s *Server) listCards(ctx context.Context, tree *news.Tree, arts []news.Article, loc *time.Location) ([]ArticleCard, error) {
	cs := cards(tree, arts, loc)
	cv, err := s.coversOf(ctx, nil, cs)
	if err != nil {
		return nil, err
	}
	cv.set(cs, sizesRow, eagerCards)
	return cs, nil
}
