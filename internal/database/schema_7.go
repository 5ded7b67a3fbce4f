package database

// migration7Headlines lets the home page read the newest pinned and the newest featured
// articles straight from an index, instead of filtering every published article.
const migration7Headlines = `
DROP INDEX articles_headlines;
CREATE INDEX articles_pinned ON articles (status, pinned, published_at DESC, id DESC);
CREATE INDEX articles_featured ON articles (status, featured, published_at DESC, id DESC);
`
