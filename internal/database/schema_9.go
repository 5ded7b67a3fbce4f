package database

// migration9ArticleIDs keeps the highest article id ever given, so that the id of a deleted
// article is never given again: an old address or audit entry naming it must not lead to a
// different article. (SQLite gives max(id)+1, which reuses the id of a deleted newest row;
// AUTOINCREMENT would mean rebuilding the articles table.)
const migration9ArticleIDs = `
CREATE TABLE id_sequences (
	name TEXT PRIMARY KEY,
	last INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO id_sequences (name, last) SELECT 'articles', COALESCE(MAX(id), 0) FROM articles;
`
