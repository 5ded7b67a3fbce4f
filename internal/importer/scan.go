package importer

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"campusnews/internal/media"
	"campusnews/internal/news"
	"campusnews/internal/wordpress"
)

// loader is one run of a WordPress import.
type loader struct {
	im   *Importer
	opts WordPressOptions
	rep  *Report
	news news.Actor
	lib  media.Actor

	// From the first pass: what posts refer to, whichever comes first in the file.
	header      *wordpress.Header
	source      string // names the old site in article_sources and import_media
	hosts       map[string]bool
	authors     map[string]string // login → display name
	categories  map[string]wordpress.Category
	attachments map[int64]*attachment
	byFile      map[string]int64 // an attachment's file → its id
	blocks      map[int64]string // reusable block → content
	posts       int64            // posts to prepare

	images imageStore
	used   map[string]bool // WordPress categories that hold an imported post
}

// attachment is what a post may need of an attachment item.
type attachment struct {
	ID      int64
	File    string // relative to the uploads directory
	URL     string
	Alt     string
	Caption string // plain text
	Title   string // plain text
}

// scan is the first pass: the header, the attachments and reusable blocks posts refer to,
// and whether the whole file reads. A malformed or truncated export ends here, before
// anything is stored.
func (ld *loader) scan(ctx context.Context) error {
	cr, err := ld.open("reading")
	if err != nil {
		return err
	}
	defer cr.Close()
	r := wordpress.NewReader(cr)
	h, err := r.Header()
	if err != nil {
		return ld.readError(err)
	}
	ld.header = h
	ld.source, ld.hosts = siteOf(h)
	ld.rep.Site = ld.source
	ld.rep.WXR = h.WXRVersion
	ld.authors = make(map[string]string, len(h.Authors))
	for _, a := range h.Authors {
		name := strings.TrimSpace(a.DisplayName)
		if name == "" {
			name = strings.TrimSpace(a.FirstName + " " + a.LastName)
		}
		if name == "" {
			name = a.Login
		}
		ld.authors[a.Login] = name
	}
	ld.categories = make(map[string]wordpress.Category, len(h.Categories))
	for _, c := range h.Categories {
		ld.categories[c.Slug] = c
	}
	ld.attachments, ld.byFile, ld.blocks = map[int64]*attachment{}, map[string]int64{}, map[int64]string{}
	for it, err := range r.All() {
		if err != nil {
			return ld.readError(err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		switch it.Type {
		case wordpress.TypeAttachment:
			a := &attachment{ID: it.ID, File: strings.TrimPrefix(it.AttachedFile(), "/"), URL: it.AttachmentURL,
				Alt: it.ImageAlt(), Caption: wordpress.Text(it.Excerpt), Title: wordpress.Text(it.Title)}
			if a.URL == "" {
				a.URL = it.GUID
			}
			ld.attachments[it.ID] = a
			if a.File != "" {
				ld.byFile[a.File] = it.ID
			}
		case "wp_block":
			if it.Status != wordpress.StatusTrash {
				ld.blocks[it.ID] = it.Content
			}
		case wordpress.TypePost:
			ld.posts++
		}
		ld.progress("reading", cr.n, ld.opts.Size, "bytes")
	}
	ld.progress("reading", cr.n, cr.n, "bytes")
	return nil
}

// readError names the export in a reader's error, which names the line.
func (ld *loader) readError(err error) error {
	return fmt.Errorf("%s: %w", ld.opts.Name, err)
}

// siteOf names the old site by its address without the scheme (an export from the same site
// over https after http is the same site) and lists the host names its own links use.
func siteOf(h *wordpress.Header) (string, map[string]bool) {
	hosts := map[string]bool{}
	name := ""
	for _, s := range []string{h.Link, h.BaseBlogURL, h.BaseSiteURL} {
		u, err := url.Parse(strings.TrimSpace(s))
		if err != nil || u.Host == "" {
			continue
		}
		host := strings.ToLower(u.Hostname())
		hosts[host] = true
		hosts["www."+strings.TrimPrefix(host, "www.")] = true
		hosts[strings.TrimPrefix(host, "www.")] = true
		if name == "" {
			name = strings.TrimPrefix(host, "www.") + strings.TrimRight(strings.ToLower(u.EscapedPath()), "/")
		}
	}
	if name == "" {
		name = "unknown site"
	}
	return "wordpress " + name, hosts
}
