package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/labstack/echo/v4"

	"campusnews/assets"
)

// asset is one static file, read and compressed once at start.
type asset struct {
	name string // "css/site.css"
	url  string // "/assets/css/site.3f2a1b9c0d.css"
	mime string
	body []byte
	gzip []byte // nil when compressing does not pay
	etag string
	// Header values, built once. The gzip variant has its own ETag, as cached pages do: a
	// cache must not take one encoding's bytes for the other's.
	hETag, hETagGz, hLen, hLenGz []string
}

// assetStore serves files from assets.FS under content-hashed URLs, so they can be cached
// for a year: a changed file gets a new URL.
type assetStore struct {
	dev    bool
	byName map[string]*asset
	byURL  map[string]*asset
}

func newAssetStore(dev bool) (*assetStore, error) {
	st := &assetStore{dev: dev, byName: map[string]*asset{}, byURL: map[string]*asset{}}
	var files fs.FS = assets.FS
	if dev {
		files = os.DirFS("assets")
	}
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") {
			return err
		}
		body, err := fs.ReadFile(files, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])[:10]
		ext := path.Ext(p)
		a := &asset{
			name: p,
			url:  "/assets/" + strings.TrimSuffix(p, ext) + "." + hash + ext,
			mime: mime.TypeByExtension(ext),
			body: body,
			etag: `"` + hash + `"`,
		}
		if a.mime == "" {
			a.mime = "application/octet-stream"
		}
		if z := gzipBytes(body); len(z) < len(body)*9/10 {
			a.gzip = z
		}
		a.hETag, a.hETagGz = []string{a.etag}, []string{`"` + hash + `-gz"`}
		a.hLen, a.hLenGz = []string{strconv.Itoa(len(a.body))}, []string{strconv.Itoa(len(a.gzip))}
		st.byName[p] = a
		st.byURL[a.url] = a
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: load assets: %w", err)
	}
	return st, nil
}

// URL returns the hashed URL of the asset named name ("css/site.css").
func (st *assetStore) URL(name string) (string, error) {
	a, ok := st.byName[name]
	if !ok {
		return "", fmt.Errorf("web: no asset %q", name)
	}
	return a.url, nil
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b) //nolint:errcheck // writes to memory
	zw.Close()  //nolint:errcheck
	return buf.Bytes()
}

// serveAsset answers /assets/* from memory, gzipped when the client accepts it.
func (s *Server) serveAsset(c echo.Context) error {
	a, ok := s.assets.byURL[c.Request().URL.Path]
	if !ok {
		return echo.ErrNotFound
	}
	gz := a.gzip != nil && acceptsGzip(c.Request())
	body, etag, n := a.body, a.hETag, a.hLen
	if gz {
		body, etag, n = a.gzip, a.hETagGz, a.hLenGz
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h["Etag"] = etag
	h.Set("Vary", "Accept-Encoding")
	h.Set(echo.HeaderContentType, a.mime)
	// If-None-Match compares weakly and may list several tags or be "*" (RFC 9110 13.1.2).
	if inm := c.Request().Header.Get("If-None-Match"); inm != "" && etagMatch(inm, etag[0]) {
		return c.NoContent(http.StatusNotModified)
	}
	if gz {
		h.Set(echo.HeaderContentEncoding, "gzip")
	}
	// Set here, HEAD gets it too: net/http cannot count a body it does not send.
	h["Content-Length"] = n
	return c.Blob(http.StatusOK, a.mime, body)
}

// acceptsGzip reports whether the request allows a gzip answer. It walks the header without
// allocating: it runs on every cached page.
func acceptsGzip(r *http.Request) bool {
	v := r.Header.Get("Accept-Encoding")
	for v != "" {
		var part string
		part, v, _ = strings.Cut(v, ",")
		enc, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(enc), "gzip") {
			continue
		}
		if q, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(q, 64)
			return err == nil && f > 0
		}
		return true
	}
	return false
}
