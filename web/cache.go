package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"hash/maphash"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/klauspost/compress/gzip"
	"github.com/labstack/echo/v4"
	"golang.org/x/sync/singleflight"

	"campusnews/internal/changes"
)

// Public pages are the same for every reader, so a rendered page is kept in memory and served
// again until the content changes (the content version of internal/changes moves, in this
// process or any other) or the TTL passes, whichever comes first. A publish is therefore
// visible on the next request here and within a poll everywhere else; the TTL only bounds how
// old a view count may look.
//
// Last-Modified is when the content last changed (the content version's date), not when the
// page was rendered: a page rendered again after the TTL, or after being evicted, keeps its
// date, so If-Modified-Since keeps working. View counts are not content; they may look old
// until the next change, as they may for the TTL.

// pageCacheBudget bounds the memory the cache may hold (gzip copies, and bodies asked for without).
const pageCacheBudget = 16 << 20

// pageCacheControl lets browsers revalidate every time (cheap with the ETag) and lets a
// shared cache in front absorb a spike for a few seconds.
const pageCacheControl = "public, max-age=0, s-maxage=5, stale-while-revalidate=10"

const ctxArticleID = "article_id"

type cachedPage struct {
	gen      uint64
	expires  time.Time
	modified time.Time
	// exactDate is false when an earlier version began in the same second as this one: a
	// client's If-Modified-Since equal to modified may then stand for the earlier content.
	exactDate bool
	body      []byte
	gzip      []byte
	etag      string // of body; the gzip variant adds -gz
	articleID int64  // counts a view on every hit
	key       string
	// bodyLoose and gzipLoose are set on a page just rendered whose body or gzip copy the
	// cache did not keep: once the requests that shared the render have sent it, the buffer
	// may render the next miss (spareBuffers).
	bodyLoose, gzipLoose bool

	// Header values, built once: a hit only assigns them.
	hType, hLastMod, hETag, hETagGz, hLen, hLenGz []string
}

// Header values every cached answer shares.
var (
	hCacheControl = []string{pageCacheControl}
	hVary         = []string{"Accept-Encoding"}
	hGzip         = []string{"gzip"}
)

// size is what p holds in memory: its bodies' buffers, and its key, header values and the map
// entry.
func (p *cachedPage) size() int { return cap(p.body) + cap(p.gzip) + len(p.key) + 512 }

// spareBuffers are the buffers of pages sent and not kept, for the next misses to render and
// compress into. A random article's miss allocated about 70 KB, a quarter of it these two
// buffers, and the fewer bytes a miss allocates the rarer the garbage collections that slow
// every request while they run. It holds at most 4 per CPU, of maxSpare each.
var spareBuffers = make(chan []byte, 4*cpus)

// maxSpare is the largest buffer given back: an article's page and its listings fit, a
// sitemap's buffer is not kept for the pages after it.
const maxSpare = 64 << 10

// spareBuffer returns an empty buffer from spareBuffers, or nil when there is none.
func spareBuffer() []byte {
	select {
	case b := <-spareBuffers:
		return b
	default:
		return nil
	}
}

// recycle gives p's loose buffers to spareBuffers. Only the request that rendered p calls it,
// after sending p, and only when no other request shared the render.
func recycle(p *cachedPage) {
	spare := func(b []byte) {
		if cap(b) == 0 || cap(b) > maxSpare {
			return
		}
		select {
		case spareBuffers <- b[:0]:
		default: // enough kept
		}
	}
	if p.bodyLoose {
		spare(p.body)
	}
	if p.gzipLoose {
		spare(p.gzip)
	}
}

type pageCache struct {
	ttl    time.Duration
	budget int // bytes
	mu     sync.RWMutex
	pages  map[string]*cachedPage
	bytes  int
	swept  time.Time // when stale pages were last dropped
	gen    uint64    // the newest content version of a page kept
	group  singleflight.Group

	// seen holds, by a hash of their keys, the pages missed once since it was last emptied: a
	// page enters the cache on its second miss. Pages asked for once — a crawler walking the
	// archive, a reader arriving from an old link — then neither fill the cache nor push out
	// the pages readers keep asking for. Its bound keeps it under a megabyte.
	seenMu sync.Mutex
	seen   map[uint64]struct{}
	seed   maphash.Seed

	stats *cacheStats // nil: metrics off

	// renders admits misses to render, first come first served (renderSlots); hits never
	// wait for it. Without it every miss of a burst runs at once and each waits for the
	// database pool at every query, where a free connection goes to a waiter picked at random:
	// most finish about when they would have in a queue, a few far later.
	renders chan struct{}
}

// renderSlots is how many misses render at once. On SQLite a render is nearly all CPU: one
// per CPU. Under 32 readers of random articles on 2 CPUs, p99 went from 80 ms to 35-40 ms at
// the same throughput; one at a time lost 40% of it, since a render also waits for the disk.
// On PostgreSQL a render mostly waits for the database's answers, and one per CPU served a
// third fewer random articles than no limit: four per CPU.
func renderSlots(postgres bool) int {
	if postgres {
		return 4 * cpus
	}
	return cpus
}

// cpus is how many goroutines Go ran at once when the program started, before Processors
// raised it.
var cpus = runtime.GOMAXPROCS(0)

// Processors is how many goroutines serve should let Go run at once: on SQLite, one more than
// the render slots. With every processor rendering, Go looks for requests that have arrived
// only every 10 ms, and they wait unseen behind renders queued after them; a spare processor
// reads them as they come and keeps the queue in order. A net/http handler that spends 250 µs
// of CPU per request under 32 connections on 2 CPUs had a p99 of 36 ms with 2 processors
// and 16 ms with 3, at the same throughput; campusnews's own long tail of random articles,
// 34-37 ms and 22-29 ms. On PostgreSQL renders wait on the network and leave processors free.
func Processors(postgres bool) int {
	if postgres {
		return cpus
	}
	return cpus + 1
}

// seenMax bounds the keys pageCache remembers having missed; past it, it starts again.
const seenMax = 1 << 15

// newPageCache keeps pages for ttl and renders at most renders misses at once.
func newPageCache(ttl time.Duration, renders int) *pageCache {
	return &pageCache{ttl: ttl, budget: pageCacheBudget, pages: make(map[string]*cachedPage),
		seen: make(map[uint64]struct{}), seed: maphash.MakeSeed(), renders: make(chan struct{}, renders)}
}

// admit reports whether a page just missed should be kept: whether it was missed before.
func (pc *pageCache) admit(key string) bool {
	h := maphash.String(pc.seed, key)
	pc.seenMu.Lock()
	defer pc.seenMu.Unlock()
	if _, ok := pc.seen[h]; ok {
		return true
	}
	if len(pc.seen) >= seenMax {
		clear(pc.seen)
	}
	pc.seen[h] = struct{}{}
	return false
}

func (pc *pageCache) get(key string, gen uint64, now time.Time) *cachedPage {
	pc.mu.RLock()
	p := pc.pages[key]
	pc.mu.RUnlock()
	if p == nil || p.gen != gen || now.After(p.expires) {
		return nil
	}
	return p
}

func (pc *pageCache) put(key string, p *cachedPage) {
	now := time.Now()
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if p.gen < pc.gen {
		return // rendered before a change whose pages are here already: never served again
	}
	pc.gen = p.gen
	if old := pc.pages[key]; old != nil {
		pc.bytes -= old.size()
		delete(pc.pages, key)
	}
	// Pages past their TTL or of an older version are never served again: they go once a TTL,
	// so the memory the cache holds follows what readers ask for now, not the budget.
	if pc.bytes+p.size() > pc.budget || now.Sub(pc.swept) >= pc.ttl {
		pc.swept = now
		for k, q := range pc.pages {
			if q.gen < p.gen || now.After(q.expires) {
				pc.bytes -= q.size()
				delete(pc.pages, k)
				pc.stats.evicted(true)
			}
		}
	}
	if pc.bytes+p.size() > pc.budget {
		// Still full: drop entries at random (map order) down to three quarters of the budget.
		for k, q := range pc.pages {
			if pc.bytes+p.size() <= pc.budget*3/4 {
				break
			}
			pc.bytes -= q.size()
			delete(pc.pages, k)
			pc.stats.evicted(false)
		}
	}
	pc.pages[key] = p
	pc.bytes += p.size()
}

// held is what the cache holds: its entries and their bytes, for metrics.
func (pc *pageCache) held() (entries, bytes int) {
	pc.mu.RLock()
	defer pc.mu.RUnlock()
	return len(pc.pages), pc.bytes
}

// cacheKey names the page a request asks for by exactly what its handler reads: the path, the
// page number of a listing as pageParam reads it, and the search words as searchInput reads
// them. Anything else (another parameter, a space after the words, "page=01") cannot make the
// page differ, so it cannot make a miss and run the handler again either.
func cacheKey(c echo.Context) string {
	path := c.Request().URL.Path
	switch c.Path() {
	case "/search":
		return path + "?page=" + strconv.Itoa(pageParam(c)) + "&q=" + url.QueryEscape(searchInput(c))
	case "/", "/tags", "/archive", "/feed.atom", "/sitemap.xml", "/sitemaps/:file", "/robots.txt",
		"/:section/feed.atom", "/:section/:category/feed.atom",
		"/:section/:category/:id", "/:section/:category/:id/:slug":
		return path // pages that read no parameter
	}
	// Listings: sections, categories, topics, archive years and months. A page not named above
	// keeps its page number too, so two of its pages can never share an entry.
	return path + "?page=" + strconv.Itoa(pageParam(c))
}

// recorder keeps what a handler writes instead of sending it, so it can be cached first.
type recorder struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (r *recorder) WriteHeader(code int)        { r.status = code }
func (r *recorder) Write(b []byte) (int, error) { return r.buf.Write(b) }

// cachePage serves public GET pages from memory. Misses for the same URL render once
// together (singleflight), so a spike after a publish costs one render, not one per reader.
func (s *Server) cachePage(next echo.HandlerFunc) echo.HandlerFunc {
	if s.cache == nil {
		return func(c echo.Context) error {
			c.Response().Header().Set("Cache-Control", pageCacheControl)
			return next(c)
		}
	}
	return func(c echo.Context) error {
		r := c.Request()
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			return next(c)
		}
		key := cacheKey(c)
		ver := s.changes.Version()
		gen := ver.Gen
		now := time.Now()
		p := s.cache.get(key, gen, now)
		if p == nil {
			leader, rendered := false, false
			// The version is part of the flight's key: a request that arrives after a change
			// never joins a render begun before it.
			flight := strconv.FormatUint(gen, 10) + " " + key
			v, err, shared := s.cache.group.Do(flight, func() (any, error) {
				leader = true
				if p := s.cache.get(key, gen, time.Now()); p != nil {
					return p, nil
				}
				rendered = true
				s.cache.stats.miss()
				s.cache.renders <- struct{}{}
				defer func() { <-s.cache.renders }()
				return s.renderForCache(c, next, ver, key)
			})
			if leader && err != nil {
				return err
			}
			p, _ = v.(*cachedPage)
			if p == nil {
				if leader {
					return nil // the handler answered itself (a redirect); nothing to cache
				}
				s.cache.stats.miss()
				return next(c) // the shared render was not cacheable: answer this one ourselves
			}
			if rendered {
				err := s.sendCached(c, p) // the handler counted this view already
				if !shared {
					recycle(p)
				}
				return err
			}
		}
		s.cache.stats.hit()
		if p.body == nil && !acceptsGzip(r) {
			var err error
			if p, err = s.cache.withBody(p); err != nil {
				return err
			}
		}
		if p.articleID != 0 && r.Method == http.MethodGet {
			s.views.Add(p.articleID)
		}
		return s.sendCached(c, p)
	}
}

// renderForCache runs the handler into a recorder and keeps a 200 answer. ver was read before
// the handler ran, so the page holds at least what ver stands for: if a change came in between,
// the page is dated earlier than its content, which costs a full answer, never a wrong 304.
//
// A page that was missed before is kept, with its gzip copy made at once; a page missed for
// the first time is only answered, compressed only if this client asked for it (see admit).
func (s *Server) renderForCache(c echo.Context, next echo.HandlerFunc, ver changes.Version, key string) (*cachedPage, error) {
	// The render's reads run on a context that cannot be cancelled. Readers waiting on the
	// same page share the render, and the one who started it leaving must not end it for
	// them. And the SQLite driver steps each row in a new goroutine when the context can be
	// cancelled, so as to interrupt it: for a page's few indexed reads that cost more than
	// the reads. Search sets its own deadline (search.SetBudget).
	req := c.Request()
	c.SetRequest(req.WithContext(context.WithoutCancel(req.Context())))
	defer c.SetRequest(req)
	res := c.Response()
	orig := res.Writer
	rec := &recorder{ResponseWriter: orig, status: http.StatusOK, buf: *bytes.NewBuffer(spareBuffer())}
	res.Writer = rec
	err := next(c)
	res.Writer = orig
	res.Committed, res.Size = false, 0
	if err != nil {
		return nil, err
	}
	if rec.status != http.StatusOK {
		// Redirects and the like go out as they are, uncached.
		res.WriteHeader(rec.status)
		_, werr := res.Write(rec.buf.Bytes())
		return nil, werr
	}
	body := rec.buf.Bytes() // the recorder is this render's own: its bytes need no copy
	// xxhash: 64 bits tell the versions of one address apart, at a tenth of SHA-256's cost.
	var sum [8]byte
	binary.LittleEndian.PutUint64(sum[:], xxhash.Sum64(body))
	now := time.Now()
	p := &cachedPage{
		gen:       ver.Gen,
		expires:   now.Add(s.cache.ttl),
		modified:  ver.Since,
		exactDate: ver.Exact,
		body:      body,
		etag:      `"` + base64.RawURLEncoding.EncodeToString(sum[:]) + `"`,
	}
	if id, ok := c.Get(ctxArticleID).(int64); ok {
		p.articleID = id // the handler counted this view; hits count theirs in cachePage
	}
	keep := s.cache.admit(key)
	if len(body) > 512 && (keep || acceptsGzip(c.Request())) {
		p.gzip = gzipPage(body, keep)
	}
	p.hType = []string{res.Header().Get(echo.HeaderContentType)}
	p.hLastMod = []string{p.modified.Format(http.TimeFormat)}
	p.hETag = []string{p.etag}
	p.hETagGz = []string{p.etag[:len(p.etag)-1] + `-gz"`}
	p.hLen = []string{strconv.Itoa(len(p.body))}
	p.hLenGz = []string{strconv.Itoa(len(p.gzip))}
	p.key = key
	if keep {
		kept := p
		if p.gzip != nil && acceptsGzip(c.Request()) {
			// Nearly every reader takes gzip, and the page is a quarter of its size that way:
			// the cache keeps only the gzip copy until someone asks for the page without it.
			stripped := *p
			stripped.body = nil
			kept = &stripped
			p.bodyLoose = true
		} else if cap(p.body) > len(p.body)+len(p.body)/4+1024 {
			// A spare buffer left by a larger page: the cache keeps no more than this one needs.
			p.body = bytes.Clone(p.body)
		}
		s.cache.put(key, kept)
	} else {
		p.bodyLoose, p.gzipLoose = true, true
	}
	return p, nil
}

// withBody returns p with its uncompressed body, made from the gzip copy when the cache kept
// only that one, and keeps it for the next reader who asks for it so.
func (pc *pageCache) withBody(p *cachedPage) (*cachedPage, error) {
	if p.body != nil || p.gzip == nil {
		return p, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(p.gzip))
	if err != nil {
		return nil, err
	}
	n, _ := strconv.Atoi(p.hLen[0]) // the page's length, counted when it was rendered
	full := *p
	full.body = make([]byte, n)
	if _, err := io.ReadFull(zr, full.body); err != nil {
		return nil, err
	}
	pc.mu.Lock()
	// Kept unless the page was replaced or dropped meanwhile, or it would take the cache past
	// its budget (a link checker asking for every page without gzip); then it is only answered.
	if pc.pages[p.key] == p && pc.bytes+len(full.body) <= pc.budget {
		pc.pages[p.key] = &full
		pc.bytes += len(full.body)
	}
	pc.mu.Unlock()
	return &full, nil
}

// sendCached writes p, or 304 when the client has it already.
func (s *Server) sendCached(c echo.Context, p *cachedPage) error {
	h := c.Response().Header()
	gz := p.gzip != nil && acceptsGzip(c.Request())
	etag := p.hETag
	if gz {
		etag = p.hETagGz
	}
	h["Cache-Control"] = hCacheControl
	h["Vary"] = hVary
	h["Etag"] = etag
	h["Last-Modified"] = p.hLastMod
	if notModified(c.Request(), etag[0], p.modified, p.exactDate) {
		s.cache.stats.notModified()
		return c.NoContent(http.StatusNotModified)
	}
	body, n := p.body, p.hLen
	if gz {
		h["Content-Encoding"] = hGzip
		body, n = p.gzip, p.hLenGz
	}
	h["Content-Type"] = p.hType
	h["Content-Length"] = n
	res := c.Response()
	res.WriteHeader(http.StatusOK)
	_, err := res.Write(body)
	return err
}

// notModified applies If-None-Match, or If-Modified-Since when there is no ETag to compare.
// A date equal to modified counts only when exact: otherwise it may be that of the content
// before, changed within the same second.
func notModified(r *http.Request, etag string, modified time.Time, exact bool) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		return etagMatch(inm, etag)
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		t, err := http.ParseTime(ims)
		return err == nil && (modified.Before(t) || exact && modified.Equal(t))
	}
	return false
}

func etagMatch(header, etag string) bool {
	for header != "" {
		var part string
		part, header, _ = strings.Cut(header, ",")
		part = strings.TrimSpace(part)
		if part == "*" || part == etag || part == "W/"+etag {
			return true
		}
	}
	return false
}

// gzipWriters are reused, each with the buffer it writes into: a new writer allocates
// hundreds of kilobytes of tables, more than the page. A channel rather than a sync.Pool,
// which every garbage collection empties, and a server rendering misses collects every few
// milliseconds.
var gzipWriters = make(chan *pageGzipper, 2*runtime.GOMAXPROCS(0))

type pageGzipper struct {
	zw  *gzip.Writer
	buf bytes.Buffer
}

func getGzipper() *pageGzipper {
	select {
	case g := <-gzipWriters:
		return g
	default:
		zw, _ := gzip.NewWriterLevel(nil, pageGzipLevel)
		return &pageGzipper{zw: zw}
	}
}

func putGzipper(g *pageGzipper) {
	if g.buf.Cap() > 256<<10 {
		g.buf = bytes.Buffer{} // a sitemap's buffer is not kept for the pages after it
	}
	select {
	case gzipWriters <- g:
	default: // enough kept
	}
}

// pageGzipLevel is cheap: a page is compressed on every miss. On a server rendering misses,
// the compressor's tables are out of the CPU caches by the time it runs. klauspost/compress's
// stateless mode keeps a small table on the stack instead of a large one in the writer: an
// 11 KB article with cold caches took 77 µs against level 1's 88 µs, for 1% more bytes (3.3
// KB). Each Write is compressed on its own, and gzipPage writes a page at once.
const pageGzipLevel = gzip.StatelessCompression

// gzipPage compresses a rendered page, into a spare buffer when the page will not be kept.
func gzipPage(b []byte, keep bool) []byte {
	g := getGzipper()
	g.buf.Reset()
	g.zw.Reset(&g.buf)
	g.zw.Write(b) //nolint:errcheck // writes to memory
	g.zw.Close()  //nolint:errcheck
	var out []byte
	if keep {
		out = bytes.Clone(g.buf.Bytes()) // no more than its length, to be kept
	} else {
		out = append(spareBuffer(), g.buf.Bytes()...)
	}
	putGzipper(g)
	return out
}
