package database

// migration14SearchCategory gives every entry of the search index its article's category, so
// that a search leaves out hidden categories from its own table instead of reading the
// articles table, which belongs to the news package. FTS5 cannot add a column: the index is
// made again with it and filled from the old one.
const migration14SearchCategory = `
CREATE VIRTUAL TABLE articles_fts_new USING fts5(
	title, summary, body, category_id UNINDEXED,
	tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO articles_fts_new (rowid, title, summary, body, category_id)
SELECT f.rowid, f.title, f.summary, f.body, a.category_id FROM articles_fts f JOIN articles a ON a.id = f.rowid;
DROP TABLE articles_fts;
ALTER TABLE articles_fts_new RENAME TO articles_fts;
`
