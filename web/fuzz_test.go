package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"campusnews/internal/accounts"
)

// FuzzArticleForm posts random bytes as the article form, both as a whole urlencoded body and
// as the values of its fields, through the real server as a signed-in editor, to a new
// article and to an existing one. Whatever arrives, the answer is never a server error.
func FuzzArticleForm(f *testing.F) {
	env := newTestEnv(f)
	ae := &authzEnv{testEnv: env}
	ed := env.mustUser("fuzz-editor@example.edu", accounts.Editor)
	ae.setup = actorFor(ed)
	ae.mustCategories()
	art := ae.mustArticle(ae.setup, "Fuzzed article", true)
	cl := env.client()
	cl.login(ed.Email)
	token := ae.tokenFrom(cl, "/account")
	catValue := catID(ae.cat)

	for _, s := range []struct{ raw, title, body, tags, when, action string }{
		{"title=A&body_source=B&category_id=" + catValue + "&action=save", "A", "B", "x, y", "", "save"},
		{"action=publish&title=%zz&category_id=-1", "", "", "", "2025-13-40T25:61", "publish"},
		{"action=schedule&publish_at=2030-01-01T10:00&category_id=" + catValue, "T", "# H\n\n<script>x</script>", ",,,", "2030-01-01T10:00", "schedule"},
		{"cover_media_id=99999999999999999999&pinned=1&featured=1&expires_at=1999-01-01T00:00", "T", "[x](javascript:1)", strings.Repeat("t,", 30), "0001-01-01T00:00", "preview"},
		{"updated_at=garbage&slug=../../etc&tags=%00", "\x00\xff", "\u202e", "\xff", "9999-12-31T23:59:59", "submit"},
		{"&&&=&a=%&action=nope", strings.Repeat("w", 300), strings.Repeat("*", 1000), "", "", ""},
	} {
		f.Add([]byte(s.raw), s.title, s.body, s.tags, s.when, s.action)
	}
	f.Fuzz(func(t *testing.T, raw []byte, title, body, tags, when, action string) {
		post := func(path, ctype, payload string) {
			req, err := http.NewRequest(http.MethodPost, env.http.URL+path, strings.NewReader(payload))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", ctype)
			resp, err := cl.c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			page := readBody(t, resp)
			if resp.StatusCode >= 500 {
				t.Fatalf("POST %s %q: status %d\n%.500s", path, payload, resp.StatusCode, page)
			}
			if resp.StatusCode == http.StatusForbidden && strings.Contains(page, "This form had expired") {
				t.Fatalf("POST %s %q: the valid token was not read", path, payload)
			}
		}
		fields := url.Values{"_csrf": {token}, "title": {title}, "body_source": {body}, "summary": {title},
			"tags": {tags}, "publish_at": {when}, "expires_at": {when}, "source": {body},
			"category_id": {catValue}, "cover_media_id": {tags}, "updated_at": {when}, "action": {action},
			"event_start_date": {when}, "event_start_time": {when}, "event_end_date": {tags}, "event_all_day": {action},
			"event_time_zone": {tags}, "event_venue": {title}, "event_online_url": {body}}
		for _, path := range []string{"/editor/articles/new", editURL(art.ID)} {
			post(path, "application/x-www-form-urlencoded", "_csrf="+token+"&"+string(raw))
			post(path, "application/x-www-form-urlencoded", fields.Encode())
		}
		post("/editor/preview", "application/x-www-form-urlencoded", "_csrf="+token+"&body="+url.QueryEscape(body)+"&"+string(raw))
	})
}
