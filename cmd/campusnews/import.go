package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"
	"gorm.io/gorm"

	"campusnews/internal/changes"
	"campusnews/internal/importer"
	"campusnews/internal/media"
	"campusnews/internal/news"
)

const importUsage = "import: name what to import, e.g. campusnews import wordpress export.xml --uploads wp-content/uploads"

func importCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "wordpress" {
		return errors.New(importUsage)
	}
	fs, cfg := flags("import wordpress", stderr)
	uploads := fs.String("uploads", "", "a copy of the old site's wp-content/uploads, for the images")
	section := fs.String("section", "", "slug of the section the categories go into (default: the first section)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	// Flags may also follow the file name: campusnews import wordpress FILE --uploads DIR.
	file, rest := fs.Arg(0), fs.Args()
	if len(rest) > 0 {
		rest = rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if file == "" || fs.NArg() != 0 {
		return errors.New(importUsage)
	}
	st, err := os.Stat(file)
	if err != nil {
		return fmt.Errorf("import wordpress: %w", err)
	}
	if *uploads != "" {
		if fi, err := os.Stat(*uploads); err != nil || !fi.IsDir() {
			return fmt.Errorf("import wordpress: --uploads %s is not a directory", *uploads)
		}
	}
	return withDB(ctx, cfg, func(db *gorm.DB) error {
		w, err := changes.NewWatcher(ctx, db)
		if err != nil {
			return err
		}
		newsSvc := news.NewService(db, w)
		store := media.NewStore(db, cfg.MediaDir(), cfg.MaxUpload, w, newsSvc)
		bar := newProgressBar(stderr)
		rep, err := importer.New(db, newsSvc, store).WordPress(ctx, importer.WordPressOptions{
			Open:     func() (io.ReadCloser, error) { return os.Open(file) },
			Size:     st.Size(),
			Name:     filepath.Base(file),
			Uploads:  *uploads,
			Section:  *section,
			Who:      "command line",
			Progress: bar.update,
		})
		bar.finish()
		if err != nil {
			return fmt.Errorf("import wordpress: %w (nothing was imported)", err)
		}
		return rep.Write(stdout)
	})
}

// progressBar shows how far an import is: a bar redrawn in place on a terminal, else a line
// at the start of each step and at every quarter of it, for logs.
type progressBar struct {
	w       io.Writer
	tty     bool
	step    string
	quarter int64 // of the step last written, for plain lines
	drawn   time.Time
	pct     int64 // last drawn
	open    bool  // a bar is on the terminal's line
}

func newProgressBar(w io.Writer) *progressBar {
	f, ok := w.(*os.File)
	return &progressBar{w: w, tty: ok && term.IsTerminal(int(f.Fd()))}
}

// barWidth is the bar's length in characters.
const barWidth = 30

func (p *progressBar) update(pr importer.Progress) {
	newStep := pr.Step != p.step
	if newStep {
		if p.open {
			fmt.Fprintln(p.w)
			p.open = false
		}
		p.step, p.quarter = pr.Step, -1
	}
	pct := int64(-1)
	if pr.Total > 0 {
		pct = min(100, pr.Done*100/pr.Total)
	}
	if p.tty {
		// Redrawn at most ten times a second: a large export has hundreds of thousands of items.
		if !newStep && (pct < 100 && time.Since(p.drawn) < 100*time.Millisecond || pct == p.pct) {
			return
		}
		p.drawn, p.pct = time.Now(), pct
		fill := 0
		if pct >= 0 {
			fill = int(pct) * barWidth / 100
		}
		fmt.Fprintf(p.w, "\r%-10s [%s%s] %s", pr.Step, strings.Repeat("#", fill), strings.Repeat(" ", barWidth-fill), amount(pr, pct))
		p.open = true
		return
	}
	if q := pct / 25; pct >= 0 && q > p.quarter {
		p.quarter = q
		fmt.Fprintf(p.w, "%s: %s\n", pr.Step, amount(pr, pct))
	}
}

// amount is how far a step is, in words.
func amount(pr importer.Progress, pct int64) string {
	if pr.Unit == "bytes" {
		s := fmt.Sprintf("%s of %s", size(pr.Done), size(pr.Total))
		if pct >= 0 {
			s = fmt.Sprintf("%3d%% (%s)", pct, s)
		}
		return s
	}
	return fmt.Sprintf("%d of %d %s", pr.Done, pr.Total, pr.Unit)
}

func size(n int64) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	default:
		return fmt.Sprintf("%d KB", (n+1023)>>10)
	}
}

// finish ends the terminal's bar line.
func (p *progressBar) finish() {
	if p.open {
		fmt.Fprintln(p.w)
		p.open = false
	}
}
