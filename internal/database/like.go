package database

import "strings"

// likeEscaper is built once; NewReplacer compiles its table.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// EscapeLike makes s match itself in a LIKE pattern written with ESCAPE '\'.
func EscapeLike(s string) string { return likeEscaper.Replace(s) }
