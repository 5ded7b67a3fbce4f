package news

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// maxSlugLen keeps URLs readable; a slug is cut at a hyphen below this length.
const maxSlugLen = 80

// Slugify makes a URL-safe slug: lower-case ASCII letters and digits joined by single hyphens.
// Accents are dropped ("Café" → "cafe"); a title with no usable letters gives "".
func Slugify(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // combining accent left by NFKD
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '’':
			continue // "DUT's" → "duts", not "dut-s"
		default:
			hyphen = true
		}
	}
	out := b.String()
	if len(out) > maxSlugLen {
		out = out[:maxSlugLen]
		if i := strings.LastIndexByte(out, '-'); i > maxSlugLen/2 {
			out = out[:i]
		}
		out = strings.Trim(out, "-")
	}
	return out
}

// ValidSlug reports whether s is already in Slugify's form.
func ValidSlug(s string) bool {
	return s != "" && len(s) <= maxSlugLen && Slugify(s) == s
}
