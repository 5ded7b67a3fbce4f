package database

import "gorm.io/gorm"

// ContainsLikeOn is ContainsLike for db's engine. PostgreSQL has no casefold() (the function
// this package gives SQLite connections) and its LIKE heeds case, so there the condition is
// ILIKE, which folds every letter the database's locale knows (C.UTF-8 or a language's
// UTF-8 locale: all of Unicode's simple case pairs; ß stays apart from ss).
func ContainsLikeOn(db *gorm.DB, column, s string) (string, string) {
	if Engine(db) != Postgres {
		return ContainsLike(column, s)
	}
	return column + " ILIKE ? ESCAPE '\\'", "%" + EscapeLike(s) + "%"
}
