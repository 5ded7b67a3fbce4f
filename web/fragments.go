package web

import (
	"html/template"
	"sync"
)

// The stories an article page lists as related are drawn from few (each tag's newest, see
// news.Service.related), and their cards were the larger part of executing the page's
// template: each is rendered once per content version and kept here.

// maxFragments bounds a fragmentMemo: past it, it starts again.
const maxFragments = 4096

// fragmentMemo holds HTML fragments, by article, rendered at one content version.
type fragmentMemo struct {
	mu  sync.Mutex
	gen uint64
	m   map[int64]template.HTML
}

func (f *fragmentMemo) get(gen uint64, id int64) (template.HTML, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.gen != gen {
		return "", false
	}
	h, ok := f.m[id]
	return h, ok
}

// put keeps h, rendered from what was read at gen or later, under gen; never under a later
// version, which it might predate.
func (f *fragmentMemo) put(gen uint64, id int64, h template.HTML) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if gen < f.gen {
		return
	}
	if gen != f.gen || f.m == nil || len(f.m) >= maxFragments {
		f.gen, f.m = gen, make(map[int64]template.HTML)
	}
	f.m[id] = h
}
