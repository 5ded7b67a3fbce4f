package web

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"campusnews/internal/media"
)

// testPNG is a real w×h PNG.
func testPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x + y), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// upload posts the library's upload form with fields and, when data is not nil, a file.
func (cl *client) upload(fields url.Values, filename string, data []byte) (*http.Response, string) {
	cl.e.t.Helper()
	_, page := cl.get("/editor/media")
	m := csrfInput.FindStringSubmatch(page)
	if m == nil {
		cl.e.t.Fatal("no CSRF token on the media page")
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("_csrf", m[1])
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	if data != nil {
		fw, err := mw.CreateFormFile("file", filename)
		if err != nil {
			cl.e.t.Fatal(err)
		}
		_, _ = fw.Write(data)
	}
	if err := mw.Close(); err != nil {
		cl.e.t.Fatal(err)
	}
	resp, err := cl.c.Post(cl.e.http.URL+"/editor/media", mw.FormDataContentType(), &buf)
	if err != nil {
		cl.e.t.Fatal(err)
	}
	return resp, readBody(cl.e.t, resp)
}

var mediaIDRe = regexp.MustCompile(`^/editor/media/(\d+)$`)

// mustUpload uploads a PNG described as alt and returns its library id.
func (cl *client) mustUpload(alt string) int64 {
	cl.e.t.Helper()
	resp, body := cl.upload(url.Values{"alt": {alt}}, "photo.png", testPNG(cl.e.t, 640, 400))
	mustStatus(cl.e.t, resp, body, http.StatusSeeOther)
	m := mediaIDRe.FindStringSubmatch(resp.Header.Get("Location"))
	if m == nil {
		cl.e.t.Fatalf("upload redirected to %q", resp.Header.Get("Location"))
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n
}

func TestMediaUploadAndServe(t *testing.T) {
	ee := newEditorEnv(t)
	data := testPNG(t, 200, 120)
	resp, body := ee.writer.upload(url.Values{"alt": {"A gradient of colours"}, "credit": {"Lab photo"}}, "grad.png", data)
	mustStatus(t, resp, body, http.StatusSeeOther)
	edit := resp.Header.Get("Location")

	resp, body = ee.writer.get(edit)
	mustStatus(t, resp, body, http.StatusOK)
	snippet := regexp.MustCompile(`!\[A gradient of colours\]\((/media/[0-9a-f]{32}\.png)\)`).FindStringSubmatch(body)
	if snippet == nil {
		t.Fatalf("no Markdown snippet on the image page\n%s", body)
	}
	_, lib := ee.writer.get("/editor/media")
	if !strings.Contains(lib, `alt="A gradient of colours"`) || !strings.Contains(lib, "200 × 120") {
		t.Error("the library does not show the image with its alt text and size")
	}

	resp, got := ee.client().get(snippet[1])
	mustStatus(t, resp, got, http.StatusOK)
	for h, want := range map[string]string{"Content-Type": "image/png",
		"Cache-Control": "public, max-age=31536000, immutable", "X-Content-Type-Options": "nosniff"} {
		if v := resp.Header.Get(h); v != want {
			t.Errorf("%s: %q, want %q", h, v, want)
		}
	}
	if got != string(data) {
		t.Error("the served file differs from the upload")
	}
}

// A refused upload says what is wrong beside the field, keeps what was typed, and its
// summary mentions only what applies: the kept description when one was typed, choosing the
// file again when one was sent.
func TestMediaUploadRefusals(t *testing.T) {
	ee := newEditorEnv(t)
	const (
		kept   = "What you typed is kept below"
		choose = "please choose the image again"
	)
	tests := []struct {
		name          string
		fields        url.Values
		file          string
		data          []byte
		field         string
		msg           string
		kept, choose  bool
		summaryHeader string
	}{
		{"text named jpg", url.Values{"alt": {"Kept alt"}}, "x.jpg", []byte("just some text, not a picture"),
			"file", "That file is not a JPEG, PNG, WebP or GIF image", true, true, "Please check one field"},
		{"text named jpg, nothing typed", url.Values{"decorative": {"1"}}, "x.jpg", []byte("just some text"),
			"file", "That file is not a JPEG, PNG, WebP or GIF image", false, true, "Please check one field"},
		{"no alt", url.Values{"caption": {"Kept caption"}}, "p.png", testPNG(t, 20, 20),
			"alt", "Describe the image for people who cannot see it, or mark it as decorative", true, true, "Please check one field"},
		{"no file", url.Values{"alt": {"Kept alt"}}, "", nil, "file", "Choose an image to upload", true, false, "Please check one field"},
		{"nothing", url.Values{}, "", nil, "file", "Choose an image to upload", false, false, "Please check 2 fields"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := ee.writer.upload(tc.fields, tc.file, tc.data)
			mustStatus(t, resp, body, http.StatusUnprocessableEntity)
			want := fmt.Sprintf(`<p class="field-error" id="%s-error">%s</p>`, tc.field, tc.msg)
			if !strings.Contains(body, want) {
				t.Errorf("no %q beside the field", want)
			}
			for k, vs := range tc.fields {
				if k != "decorative" && !strings.Contains(body, `value="`+vs[0]+`"`) {
					t.Errorf("typed %q is not kept", vs[0])
				}
			}
			if !strings.Contains(body, "<h2>"+tc.summaryHeader+"</h2>") {
				t.Errorf("the error summary is not headed %q", tc.summaryHeader)
			}
			if got := strings.Contains(body, kept); got != tc.kept {
				t.Errorf("the page says %q: %v, want %v", kept, got, tc.kept)
			}
			if got := strings.Contains(body, choose); got != tc.choose {
				t.Errorf("the page says %q: %v, want %v", choose, got, tc.choose)
			}
		})
	}
	resp, body := ee.writer.upload(url.Values{"decorative": {"1"}}, "p.png", testPNG(t, 20, 20))
	mustStatus(t, resp, body, http.StatusSeeOther)
}

func TestMediaBadNamesAre404(t *testing.T) {
	ee := newEditorEnv(t)
	ee.writer.mustUpload("Something")
	for _, p := range []string{"/media/../../etc/passwd", "/media/%2e%2e%2fx", "/media/..%2f..%2fetc%2fpasswd",
		"/media/" + strings.Repeat("a", 32) + ".png", "/media/test.db", "/media/"} {
		resp, body := ee.client().get(p)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, resp.StatusCode)
			continue
		}
		if !strings.Contains(body, "Page not found") || !strings.Contains(body, `class="site-header`) {
			t.Errorf("%s: the 404 is not in the site's layout", p)
		}
	}
}

// An image somewhat over the limit is refused beside the file field with the description
// kept; one far over it gets the 413 page, which says what to do.
func TestMediaTooLarge(t *testing.T) {
	ee := newEditorEnv(t)
	max := int(ee.srv.cfg.MaxUpload)
	big := append(testPNG(t, 8, 8), bytes.Repeat([]byte{0}, max)...)
	resp, body := ee.writer.upload(url.Values{"alt": {"The great hall at dusk"}}, "big.png", big)
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, `id="file-error">The image is larger than 2 MB`) || !strings.Contains(body, `value="The great hall at dusk"`) {
		t.Errorf("an image over the limit is not refused beside its field with the alt text kept:\n%s", body)
	}
	huge := bytes.Repeat([]byte{0x89}, 2*max+200<<10)
	resp, body = ee.writer.upload(url.Values{"alt": {"Huge"}}, "huge.png", huge)
	mustStatus(t, resp, body, http.StatusRequestEntityTooLarge)
	if !strings.Contains(body, "The image is larger than 2 MB") || !strings.Contains(body, `class="site-header`) ||
		!strings.Contains(body, `href="/editor/media">Back to the media library</a>`) {
		t.Error("the 413 page is not the site's, does not name the limit, or leads elsewhere than the library")
	}
}

func TestMediaEditAndDelete(t *testing.T) {
	ee := newEditorEnv(t)
	id := ee.writer.mustUpload("Original alt")
	page := "/editor/media/" + strconv.FormatInt(id, 10)

	resp, body := ee.writer.sendForm(page, page, url.Values{"alt": {""}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, `id="alt-error"`) {
		t.Error("no error beside alt")
	}
	resp, body = ee.writer.sendForm(page, page, url.Values{"alt": {"Better alt"}, "caption": {"A caption"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	if _, body = ee.writer.get(page); !strings.Contains(body, `value="Better alt"`) || !strings.Contains(body, "![Better alt](") {
		t.Error("the new description is not shown")
	}

	// Another writer may look but not change or delete.
	resp, body = ee.other.get(page)
	mustStatus(t, resp, body, http.StatusOK)
	if strings.Contains(body, "Delete image") {
		t.Error("another writer is offered the delete button")
	}
	resp, body = ee.other.submit(page, page+"/delete", nil)
	mustStatus(t, resp, body, http.StatusForbidden)
	resp, body = ee.other.submit(page, page, url.Values{"alt": {"Hijacked"}})
	mustStatus(t, resp, body, http.StatusForbidden)

	m, err := ee.media.Get(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	resp, body = ee.ed.submit(page, page+"/delete", nil)
	mustStatus(t, resp, body, http.StatusSeeOther)
	if resp, _ = ee.ed.get(page); resp.StatusCode != http.StatusNotFound {
		t.Errorf("deleted image page: %d", resp.StatusCode)
	}
	if resp, _ = ee.client().get(m.URL()); resp.StatusCode != http.StatusNotFound {
		t.Errorf("deleted file: %d", resp.StatusCode)
	}
	if n := ee.auditCount("media.delete", ee.e.Email); n != 1 {
		t.Errorf("%d media.delete entries", n)
	}
}

func TestArticleCoverOnPublicPage(t *testing.T) {
	ee := newEditorEnv(t)
	mid := ee.ed.mustUpload("Students at the lab bench")
	id := ee.newArticle(ee.ed, "Lab bench", "Text.", "save")
	resp, body := ee.ed.get(editURL(id))
	if !strings.Contains(body, `>Students at the lab bench (640×400)</option>`) {
		t.Errorf("the cover select does not offer the image by its alt text")
	}
	resp, body = ee.act(ee.ed, id, "publish", url.Values{"cover_media_id": {strconv.FormatInt(mid, 10)}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	resp, body = ee.client().get(fmt.Sprintf("/campus/research/%d/lab-bench", id))
	mustStatus(t, resp, body, http.StatusOK)
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`<img src="/media/[0-9a-f]{32}(-\d+)?\.png" srcset="[^"]*480w, /media/[0-9a-f]{32}\.png 640w"`),
		regexp.MustCompile(`alt="Students at the lab bench"`),
		regexp.MustCompile(`<meta property="og:image" content="http://[^"]+/media/[0-9a-f]{32}(-\d+)?\.png">`),
	} {
		if !want.MatchString(body) {
			t.Errorf("the article page lacks %s", want)
		}
	}

	// Deleting the image takes it off the page at once, whatever the page cache holds.
	page := "/editor/media/" + strconv.FormatInt(mid, 10)
	resp, body = ee.ed.submit(page, page+"/delete", nil)
	mustStatus(t, resp, body, http.StatusSeeOther)
	resp, body = ee.client().get(fmt.Sprintf("/campus/research/%d/lab-bench", id))
	mustStatus(t, resp, body, http.StatusOK)
	if strings.Contains(body, "og:image") || strings.Contains(body, "srcset=") {
		t.Error("the article page still shows the deleted cover")
	}
}

// While the decodes the server allows are all running, an upload waits its turn for a bounded
// time and is then told, in the site's layout, to try again: never a 500.
func TestMediaUploadWaitsThenBusy(t *testing.T) {
	ee := newEditorEnv(t)
	const wait = 300 * time.Millisecond
	gate := media.NewGate(0, 3, wait)
	ee.media.SetGate(gate)
	var releases []func()
	for range 3 { // three uploads being processed
		release, err := gate.Acquire(t.Context(), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		releases = append(releases, release)
	}
	start := time.Now()
	resp, body := ee.writer.upload(url.Values{"alt": {"Fourth"}}, "photo.png", testPNG(t, 64, 48))
	mustStatus(t, resp, body, http.StatusServiceUnavailable)
	if waited := time.Since(start); waited < wait {
		t.Errorf("refused after %v, before waiting %v", waited, wait)
	}
	if !strings.Contains(body, "The server is busy processing other images. Please try again in a minute.") ||
		!strings.Contains(body, `href="/editor/media">Back to the media library</a>`) ||
		!strings.Contains(body, `<header class="site-header staff-header">`) {
		t.Errorf("the 503 page does not say why in the site's layout:\n%.2000s", body)
	}
	if resp.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	var n int64
	if err := ee.db.Table("media").Count(&n).Error; err != nil || n != 0 {
		t.Errorf("%d images stored (%v)", n, err)
	}
	releases[0]()
	ee.writer.mustUpload("Now it fits")
	for _, r := range releases[1:] {
		r()
	}
}

// A writer cannot delete or describe their image once an editor has published an article
// with it as the cover; the page offers neither.
func TestMediaWriterRefusedOncePublished(t *testing.T) {
	ee := newEditorEnv(t)
	mid := ee.writer.mustUpload("Lab bench")
	page := "/editor/media/" + strconv.FormatInt(mid, 10)
	if _, body := ee.writer.get(page); !strings.Contains(body, "Delete image") {
		t.Fatal("the uploader is not offered the delete button for an unused image")
	}
	id := ee.newArticle(ee.ed, "Lab bench", "Text.", "save")
	resp, body := ee.act(ee.ed, id, "publish", url.Values{"cover_media_id": {strconv.FormatInt(mid, 10)}})
	mustStatus(t, resp, body, http.StatusSeeOther)

	_, body = ee.writer.get(page)
	if strings.Contains(body, "Delete image") || strings.Contains(body, "Save details") {
		t.Error("the writer is still offered changes")
	}
	resp, body = ee.writer.submit(page, page+"/delete", nil)
	mustStatus(t, resp, body, http.StatusForbidden)
	if !strings.Contains(body, "ask an editor") {
		t.Error("the 403 does not say whom to ask")
	}
	resp, body = ee.writer.submit(page, page, url.Values{"alt": {""}})
	mustStatus(t, resp, body, http.StatusForbidden)
	if _, err := ee.media.Get(t.Context(), mid); err != nil {
		t.Errorf("image after refusals: %v", err)
	}
	if n := ee.auditCount("media.delete", ee.writerU.Email); n != 0 {
		t.Errorf("%d media.delete entries for a refused delete", n)
	}
	if n := ee.auditCount("media.upload", ee.writerU.Email); n != 1 {
		t.Errorf("%d media.upload entries, want 1", n)
	}
}
