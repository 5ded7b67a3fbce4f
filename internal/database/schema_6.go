package database

// migration6ArticleIndexes serves the queries of the newsroom side:
//   - articles_expiry: the once-a-second scheduler finds published articles whose expiry has
//     passed without reading every published article;
//   - articles_updated, articles_status_updated: the editor's list, newest change first, reads
//     one page of the index instead of sorting every article;
//   - articles_category_updated: the same list by category, the article count per category,
//     and the foreign-key check when a category is deleted;
//   - articles_editor_title: the editor's title search (LIKE '%…%', which no index can seek)
//     scans this small index, which also holds every column the list filters on, instead of
//     the table's rows.
const migration6ArticleIndexes = `
CREATE INDEX articles_expiry ON articles (status, expires_at);
CREATE INDEX articles_updated ON articles (updated_at DESC, id DESC);
CREATE INDEX articles_status_updated ON articles (status, updated_at DESC, id DESC);
CREATE INDEX articles_category_updated ON articles (category_id, updated_at DESC, id DESC);
CREATE INDEX articles_editor_title ON articles (title, status, category_id, created_by, updated_at);
`
