package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"os"
	"path"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/labstack/echo/v4"

	"campusnews/views"
)

// renderer holds one template set per page: the base layout, every partial and the page.
// Sets are parsed once at start; in dev mode they are parsed again on every render.
type renderer struct {
	dev    bool
	funcs  template.FuncMap
	sets   map[string]*template.Template // "pages/article", "editor/dashboard", "errors/error"
	common *template.Template            // the layouts and partials alone
	sizes  sync.Map                      // name → *atomic.Int64: how long its last page was
	// write writes the pages written in Go rather than from templates (Server.writePage),
	// reporting whether page name with data was one; nil writes none.
	write func(buf *bytes.Buffer, name string, data any) (bool, error)
}

// pageDirs hold one template file per page.
var pageDirs = []string{"pages", "editor", "admin", "errors"}

func newRenderer(dev bool, funcs template.FuncMap) (*renderer, error) {
	r := &renderer{dev: dev, funcs: funcs}
	sets, common, err := r.parse()
	if err != nil {
		return nil, err
	}
	r.sets, r.common = sets, common
	return r, nil
}

func (r *renderer) files() fs.FS {
	if r.dev {
		return os.DirFS("views")
	}
	return views.FS
}

func (r *renderer) parse() (map[string]*template.Template, *template.Template, error) {
	files := r.files()
	common, err := template.New("base").Funcs(r.funcs).ParseFS(files, "layouts/*.html", "partials/*.html")
	if err != nil {
		return nil, nil, fmt.Errorf("web: parse layouts: %w", err)
	}
	sets := map[string]*template.Template{}
	for _, dir := range pageDirs {
		pages, err := fs.Glob(files, dir+"/*.html")
		if err != nil {
			return nil, nil, err
		}
		for _, p := range pages {
			t, err := template.Must(common.Clone()).ParseFS(files, p)
			if err != nil {
				return nil, nil, fmt.Errorf("web: parse %s: %w", p, err)
			}
			sets[dir+"/"+strings.TrimSuffix(path.Base(p), ".html")] = t
		}
	}
	// Page sets were cloned from it above; it is executed only for partials, which changes
	// nothing the clones share.
	return sets, common, nil
}

// Names lists every page template, for the test that executes them all.
func (r *renderer) Names() []string {
	out := make([]string, 0, len(r.sets))
	for k := range r.sets {
		out = append(out, k)
	}
	return out
}

// Render executes the page set name. Echo's c.Render hands in a buffer, so a template error
// never sends half a page.
func (r *renderer) Render(w io.Writer, name string, data any, c echo.Context) error {
	sets := r.sets
	if r.dev {
		var err error
		if sets, _, err = r.parse(); err != nil {
			return err
		}
	}
	t, ok := sets[name]
	if !ok {
		return fmt.Errorf("web: no template %q", name)
	}
	// Echo hands in an empty buffer: grown at once to about the size of this page's last
	// render, it is allocated once instead of doubling its way up through ten sizes.
	last, ok := r.sizes.Load(name)
	if !ok { // LoadOrStore alone would allocate the counter on every render
		last, _ = r.sizes.LoadOrStore(name, new(atomic.Int64))
	}
	size := last.(*atomic.Int64)
	buf, _ := w.(*bytes.Buffer)
	if rec, ok := c.Response().Writer.(*recorder); ok && rec.buf.Len() == 0 {
		// A page rendered for the page cache goes straight into the cache's buffer, not into
		// Echo's to be copied there: Echo then writes an empty body after it.
		buf = &rec.buf
		w = buf
	}
	if buf != nil && buf.Len() == 0 {
		buf.Grow(int(size.Load()) + 1024)
	}
	data = addressable(data)
	if r.write != nil && buf != nil {
		done, err := r.write(buf, name, data)
		if err != nil {
			return fmt.Errorf("web: render %s: %w", name, err)
		}
		if done {
			size.Store(int64(buf.Len()))
			return nil
		}
	}
	if err := t.ExecuteTemplate(w, "layout", data); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	if buf != nil {
		size.Store(int64(buf.Len()))
	}
	return nil
}

// addressable returns a page struct passed by value as a pointer to a copy of it, so the
// template functions that take its parts by pointer (funcs.go) get them without a copy each.
func addressable(data any) any {
	v := reflect.ValueOf(data)
	if v.Kind() != reflect.Struct {
		return data
	}
	p := reflect.New(v.Type())
	p.Elem().Set(v)
	return p.Interface()
}

// Partial renders the partial template name with data, for a fragment many pages share.
func (r *renderer) Partial(name string, data any) (template.HTML, error) {
	common := r.common
	if r.dev {
		var err error
		if _, common, err = r.parse(); err != nil {
			return "", err
		}
	}
	var b strings.Builder
	if err := common.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("web: render %s: %w", name, err)
	}
	return template.HTML(b.String()), nil // html/template escaped it
}
