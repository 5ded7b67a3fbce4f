package web

import (
	"net/http"
	"strconv"
	"testing"
)

// Hashed assets answer If-None-Match as RFC 9110 says (weak comparison, a list, "*"), give the
// gzip and identity encodings different ETags, and tell HEAD the length GET would send.
func TestAssetValidatorsAndLength(t *testing.T) {
	ae := newAuthzEnv(t)
	cl := ae.client()
	path := "/assets/" + ae.assetPath()
	do := func(method, encoding, inm string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(method, ae.http.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		// Set explicitly, so the client neither asks for gzip nor unpacks it by itself.
		req.Header.Set("Accept-Encoding", encoding)
		if inm != "" {
			req.Header.Set("If-None-Match", inm)
		}
		resp, err := cl.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp, readBody(t, resp)
	}

	plain, plainBody := do(http.MethodGet, "identity", "")
	zipped, zippedBody := do(http.MethodGet, "gzip", "")
	mustStatus(t, plain, plainBody, 200)
	mustStatus(t, zipped, zippedBody, 200)
	if zipped.Header.Get("Content-Encoding") != "gzip" || plain.Header.Get("Content-Encoding") != "" {
		t.Fatalf("encodings: gzip request %q, identity request %q", zipped.Header.Get("Content-Encoding"),
			plain.Header.Get("Content-Encoding"))
	}
	etag, etagGz := plain.Header.Get("ETag"), zipped.Header.Get("ETag")
	if etag == "" || etagGz == "" || etag == etagGz {
		t.Fatalf("ETags: identity %q, gzip %q; want two different ones", etag, etagGz)
	}

	for _, tc := range []struct {
		encoding, inm string
		want          int
	}{
		{"identity", etag, 304},
		{"identity", "W/" + etag, 304},
		{"identity", `"other", ` + etag, 304},
		{"identity", `W/"other",W/` + etag, 304},
		{"identity", "*", 304},
		{"identity", `"other"`, 200},
		{"identity", etagGz, 200}, // the other encoding's bytes are not these
		{"gzip", etagGz, 304},
		{"gzip", "W/" + etagGz, 304},
		{"gzip", etag, 200},
	} {
		resp, body := do(http.MethodGet, tc.encoding, tc.inm)
		if resp.StatusCode != tc.want {
			t.Errorf("Accept-Encoding %s, If-None-Match %s: status %d, want %d", tc.encoding, tc.inm, resp.StatusCode, tc.want)
		}
		if resp.StatusCode == 304 && (body != "" || resp.Header.Get("ETag") == "") {
			t.Errorf("If-None-Match %s: 304 with body %d bytes, ETag %q", tc.inm, len(body), resp.Header.Get("ETag"))
		}
	}

	for _, tc := range []struct {
		encoding string
		body     string
	}{{"identity", plainBody}, {"gzip", zippedBody}} {
		resp, body := do(http.MethodHead, tc.encoding, "")
		mustStatus(t, resp, body, 200)
		if got := resp.Header.Get("Content-Length"); got != strconv.Itoa(len(tc.body)) {
			t.Errorf("HEAD with Accept-Encoding %s: Content-Length %q, want %d", tc.encoding, got, len(tc.body))
		}
	}
}
