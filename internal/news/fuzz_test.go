package news

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSlugify checks what URLs rely on: a slug is empty or valid, at most maxSlugLen bytes,
// and making a slug of a slug changes nothing.
func FuzzSlugify(f *testing.F) {
	for _, s := range []string{
		"", "Hello, World!", "Café au lait", "DUT's new lab", "Ünïcödé ﬁ ligature ①②③", "日本語のタイトル",
		"--a--b--", "a\u0301b\u0300c", "'’'", strings.Repeat("word ", 40), strings.Repeat("x", 200),
		strings.Repeat("ab-", 30) + strings.Repeat("c", 50), "\x00\xff\xfe", "İstanbul ǅ ß ẞ", "ＡＢＣ１２３",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, title string) {
		got := Slugify(title)
		if got != "" && !ValidSlug(got) {
			t.Errorf("Slugify(%q) = %q, not a valid slug", title, got)
		}
		if len(got) > maxSlugLen {
			t.Errorf("Slugify(%q) = %q: %d bytes, want at most %d", title, got, len(got), maxSlugLen)
		}
		if again := Slugify(got); again != got {
			t.Errorf("Slugify(%q) = %q, but Slugify(%q) = %q", title, got, got, again)
		}
		if strings.HasPrefix(got, "-") || strings.HasSuffix(got, "-") || strings.Contains(got, "--") {
			t.Errorf("Slugify(%q) = %q: stray hyphens", title, got)
		}
		for _, r := range got {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				t.Errorf("Slugify(%q) = %q: contains %q", title, got, r)
				break
			}
		}
		if got == "" && utf8.ValidString(title) && strings.ContainsAny(strings.ToLower(title), "abcdefghijklmnopqrstuvwxyz0123456789") {
			t.Errorf("Slugify(%q) = \"\" although the title has ASCII letters or digits", title)
		}
	})
}
