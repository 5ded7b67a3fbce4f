package web

import (
	"html/template"
	"strconv"
	"sync"

	"campusnews/internal/news"
)

// An article page's related stories are, for most articles, the same few as for many others
// (see news.Service.related), and their cards were the larger part of executing the page's
// template: they are rendered once per content version and list of stories, and kept here.

// maxFragments bounds a fragmentMemo: past it, it starts again.
const maxFragments = 4096

// fragmentMemo holds HTML fragments rendered at one content version.
type fragmentMemo struct {
	mu  sync.Mutex
	gen uint64
	m   map[string]template.HTML
}

func (f *fragmentMemo) get(gen uint64, key string) (template.HTML, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.gen != gen {
		return "", false
	}
	h, ok := f.m[key]
	return h, ok
}

// put keeps h, rendered from what was read at gen or later, under gen; never under a later
// version, which it might predate.
func (f *fragmentMemo) put(gen uint64, key string, h template.HTML) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if gen < f.gen {
		return
	}
	if gen != f.gen || f.m == nil || len(f.m) >= maxFragments {
		f.gen, f.m = gen, make(map[string]template.HTML)
	}
	f.m[key] = h
}

// storiesKey names a list of stories by their ids, in order.
func storiesKey(as []news.Article) string {
	b := make([]byte, 0, 8*len(as))
	for i, a := range as {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, a.ID, 10)
	}
	return string(b)
}
