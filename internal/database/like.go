package database

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/cases"
)

// likeEscaper is built once; NewReplacer compiles its table.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// EscapeLike makes s match itself in a LIKE pattern written with ESCAPE '\'.
func EscapeLike(s string) string { return likeEscaper.Replace(s) }

// Fold is s case-folded as Unicode says, so that "Über", "über" and "ÜBER" compare equal (and
// "Straße" with "STRASSE"). A Caser keeps state, so each call makes its own.
func Fold(s string) string { return cases.Fold().String(s) }

// ContainsLike is a condition that column contains s, ignoring case, with its argument. LIKE
// ignores the case of A to Z only; a query with any other letter compares both sides through
// casefold(), which costs a call per row, so plain text keeps plain LIKE.
func ContainsLike(column, s string) (string, string) {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return "casefold(" + column + ") LIKE ? ESCAPE '\\'", "%" + EscapeLike(Fold(s)) + "%"
		}
	}
	return column + " LIKE ? ESCAPE '\\'", "%" + EscapeLike(s) + "%"
}
