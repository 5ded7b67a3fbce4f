package web

import (
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"

	"github.com/labstack/echo/v4"

	"campusnews/views"
)

// renderer holds one template set per page: the base layout, every partial and the page.
// Sets are parsed once at start; in dev mode they are parsed again on every render.
type renderer struct {
	dev   bool
	funcs template.FuncMap
	sets  map[string]*template.Template // "pages/article", "editor/dashboard", "errors/error"
}

// pageDirs hold one template file per page.
var pageDirs = []string{"pages", "editor", "admin", "errors"}

func newRenderer(dev bool, funcs template.FuncMap) (*renderer, error) {
	r := &renderer{dev: dev, funcs: funcs}
	sets, err := r.parse()
	if err != nil {
		return nil, err
	}
	r.sets = sets
	return r, nil
}

func (r *renderer) files() fs.FS {
	if r.dev {
		return os.DirFS("views")
	}
	return views.FS
}

func (r *renderer) parse() (map[string]*template.Template, error) {
	files := r.files()
	common, err := template.New("base").Funcs(r.funcs).ParseFS(files, "layouts/*.html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse layouts: %w", err)
	}
	sets := map[string]*template.Template{}
	for _, dir := range pageDirs {
		pages, err := fs.Glob(files, dir+"/*.html")
		if err != nil {
			return nil, err
		}
		for _, p := range pages {
			t, err := template.Must(common.Clone()).ParseFS(files, p)
			if err != nil {
				return nil, fmt.Errorf("web: parse %s: %w", p, err)
			}
			sets[dir+"/"+strings.TrimSuffix(path.Base(p), ".html")] = t
		}
	}
	return sets, nil
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
func (r *renderer) Render(w io.Writer, name string, data any, _ echo.Context) error {
	sets := r.sets
	if r.dev {
		var err error
		if sets, err = r.parse(); err != nil {
			return err
		}
	}
	t, ok := sets[name]
	if !ok {
		return fmt.Errorf("web: no template %q", name)
	}
	if err := t.ExecuteTemplate(w, "layout", data); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	return nil
}
