//go:build e2e

package e2e

import (
	"bytes"
	"html"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	nethtml "golang.org/x/net/html"
)

// xssStaff is a signed-in staff member's HTTP client. It fills the site with the corpus
// through the same forms and checks as the browser, faster: it takes the CSRF token from a
// form and sends what a browser would.
type xssStaff struct {
	t    *testing.T
	base string
	hc   *http.Client
	csrf string
}

var (
	xssReCSRF      = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	xssReUpdatedAt = regexp.MustCompile(`name="updated_at" value="([^"]*)"`)
	xssReViewLink  = regexp.MustCompile(`<a href="([^"]+)">View on site</a>`)
	xssReFieldErr  = regexp.MustCompile(`(?s)class="field-error"[^>]*>(.*?)</`)
)

// newXSSStaff logs in through the login form.
func newXSSStaff(t *testing.T, base, email, password string) *xssStaff {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	st := &xssStaff{t: t, base: base, hc: &http.Client{Jar: jar, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	st.csrf = st.token("/login")
	if status, loc, body := st.post("/login", url.Values{"email": {email}, "password": {password}}); status != http.StatusSeeOther {
		t.Fatalf("login %s: status %d (to %s)\n%s", email, status, loc, body)
	}
	st.csrf = st.token("/editor") // a new session has a new token
	return st
}

// get fetches path and returns its status and body.
func (st *xssStaff) get(path string) (int, string) {
	st.t.Helper()
	resp, err := st.hc.Get(st.base + path)
	if err != nil {
		st.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		st.t.Fatalf("GET %s: %v", path, err)
	}
	return resp.StatusCode, string(b)
}

// token reads the CSRF token of the form at path.
func (st *xssStaff) token(path string) string {
	st.t.Helper()
	_, body := st.get(path)
	m := xssReCSRF.FindStringSubmatch(body)
	if m == nil {
		st.t.Fatalf("no CSRF token in %s", path)
	}
	return html.UnescapeString(m[1])
}

// post sends the form with the session's token and returns the status, the Location header
// and the body.
func (st *xssStaff) post(path string, form url.Values) (int, string, string) {
	st.t.Helper()
	form.Set("_csrf", st.csrf)
	return st.do(path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

func (st *xssStaff) do(path, contentType string, body io.Reader) (int, string, string) {
	st.t.Helper()
	req, err := http.NewRequest(http.MethodPost, st.base+path, body)
	if err != nil {
		st.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := st.hc.Do(req)
	if err != nil {
		st.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		st.t.Fatalf("POST %s: %v", path, err)
	}
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

// send posts the form and requires the 303 of a saved form; it returns where it leads. A
// refused form fails the test with the messages beside its fields.
func (st *xssStaff) send(what, path string, form url.Values) string {
	st.t.Helper()
	status, loc, body := st.post(path, form)
	if status != http.StatusSeeOther {
		st.t.Fatalf("%s: POST %s answered %d, want 303; errors: %q", what, path, status, xssFieldErrors(body))
	}
	return loc
}

// xssFieldErrors are the messages a re-rendered form shows beside its fields.
func xssFieldErrors(body string) []string {
	var out []string
	for _, m := range xssReFieldErr.FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(strings.TrimSpace(m[1])))
	}
	return out
}

// upload sends an image to the media library with its description and returns the path of
// its page.
func (st *xssStaff) upload(what string, img []byte, fields map[string]string) string {
	st.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fields["_csrf"] = st.csrf
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			st.t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("file", "xss.png")
	if err != nil {
		st.t.Fatal(err)
	}
	fw.Write(img) //nolint:errcheck // a bytes.Buffer does not fail
	if err := mw.Close(); err != nil {
		st.t.Fatal(err)
	}
	status, loc, body := st.do("/editor/media", mw.FormDataContentType(), &buf)
	if status != http.StatusSeeOther {
		st.t.Fatalf("%s: upload answered %d, want 303; errors: %q", what, status, xssFieldErrors(body))
	}
	return loc
}

// xssPNG is a small image to upload.
func xssPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			img.Set(x, y, color.RGBA{R: uint8(x * 4), G: uint8(y * 5), B: 120, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// xssSelectOptions maps the text of each option of the select named name to its value. Parsing
// the page, not matching its source, keeps the lookup independent of how names are escaped.
func xssSelectOptions(t *testing.T, body, name string) map[string]string {
	t.Helper()
	doc, err := nethtml.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	var inSelect func(n *nethtml.Node, in bool)
	inSelect = func(n *nethtml.Node, in bool) {
		if n.Type == nethtml.ElementNode {
			switch n.Data {
			case "select":
				in = xssAttr(n, "name") == name
			case "option":
				if in {
					out[strings.TrimSpace(xssTextOf(n))] = xssAttr(n, "value")
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			inSelect(c, in)
		}
	}
	inSelect(doc, false)
	return out
}

// xssRowLinks maps the text of each table row to the first link in it with the prefix.
func xssRowLinks(t *testing.T, body, prefix string) map[string]string {
	t.Helper()
	doc, err := nethtml.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	var visit func(n *nethtml.Node)
	visit = func(n *nethtml.Node) {
		if n.Type == nethtml.ElementNode && n.Data == "tr" {
			if href := xssFirstLink(n, prefix); href != "" {
				out[strings.Join(strings.Fields(xssTextOf(n)), " ")] = href
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(doc)
	return out
}

func xssFirstLink(n *nethtml.Node, prefix string) string {
	if n.Type == nethtml.ElementNode && n.Data == "a" && strings.HasPrefix(xssAttr(n, "href"), prefix) {
		return xssAttr(n, "href")
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if h := xssFirstLink(c, prefix); h != "" {
			return h
		}
	}
	return ""
}

func xssAttr(n *nethtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func xssTextOf(n *nethtml.Node) string {
	if n.Type == nethtml.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(xssTextOf(c))
	}
	return b.String()
}
