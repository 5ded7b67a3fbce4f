package database

// migration12ArticleBodies rebuilds the articles table:
//   - the bodies move to article_bodies, so the rows that listings, related articles and the
//     scheduler read hold no long text (SQLite kept walking a body's overflow pages to reach
//     the columns stored after it); the body's plain text is kept beside it, so public pages
//     and the search index never render Markdown again to get it (filled here from the search
//     index, which holds it for every published article);
//   - the cover image becomes a foreign key that the database clears when the image is
//     deleted, so the media package never writes the articles table;
//   - the trigger of migration 10 goes with the old table: every article is now inserted
//     through the id sequence, which this step moves past every id in use.
//
// It runs with foreign keys off (see Migration.ForeignKeysOff): dropping the old table would
// otherwise delete every tag link and revision through their ON DELETE CASCADE.
const migration12ArticleBodies = `
CREATE TABLE articles_new (
	id             INTEGER PRIMARY KEY,
	category_id    INTEGER NOT NULL REFERENCES categories(id) ON DELETE RESTRICT,
	status         TEXT    NOT NULL DEFAULT 'draft',
	published_at   DATETIME,
	expires_at     DATETIME,
	pinned         INTEGER NOT NULL DEFAULT 0,
	featured       INTEGER NOT NULL DEFAULT 0,
	title          TEXT    NOT NULL,
	slug           TEXT    NOT NULL,
	summary        TEXT    NOT NULL DEFAULT '',
	cover_media_id INTEGER REFERENCES media(id) ON DELETE SET NULL,
	source         TEXT    NOT NULL DEFAULT '',
	author         TEXT    NOT NULL DEFAULT '',
	photographer   TEXT    NOT NULL DEFAULT '',
	editor         TEXT    NOT NULL DEFAULT '',
	views          INTEGER NOT NULL DEFAULT 0,
	created_by     INTEGER,
	approved_by    INTEGER,
	updated_by     INTEGER,
	created_at     DATETIME NOT NULL,
	updated_at     DATETIME NOT NULL
);
INSERT INTO articles_new (id, category_id, status, published_at, expires_at, pinned, featured, title, slug,
	summary, cover_media_id, source, author, photographer, editor, views, created_by, approved_by, updated_by,
	created_at, updated_at)
SELECT id, category_id, status, published_at, expires_at, pinned, featured, title, slug,
	summary, (SELECT m.id FROM media m WHERE m.id = articles.cover_media_id), source, author, photographer, editor,
	views, created_by, approved_by, updated_by, created_at, updated_at
FROM articles;

CREATE TABLE article_bodies (
	article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
	source     TEXT NOT NULL DEFAULT '',
	html       TEXT NOT NULL DEFAULT '',
	text       TEXT NOT NULL DEFAULT ''
);
INSERT INTO article_bodies (article_id, source, html, text)
SELECT a.id, a.body_source, a.body_html, COALESCE((SELECT f.body FROM articles_fts f WHERE f.rowid = a.id), '')
FROM articles a;

DROP TABLE articles;
ALTER TABLE articles_new RENAME TO articles;

CREATE UNIQUE INDEX articles_slug ON articles (slug);
CREATE INDEX articles_category_listing ON articles (status, category_id, published_at DESC, id DESC);
CREATE INDEX articles_listing ON articles (status, published_at DESC, id DESC);
CREATE INDEX articles_pinned ON articles (status, pinned, published_at DESC, id DESC);
CREATE INDEX articles_featured ON articles (status, featured, published_at DESC, id DESC);
CREATE INDEX articles_created_by ON articles (created_by, status);
CREATE INDEX articles_expiry ON articles (status, expires_at);
CREATE INDEX articles_updated ON articles (updated_at DESC, id DESC);
CREATE INDEX articles_status_updated ON articles (status, updated_at DESC, id DESC);
CREATE INDEX articles_category_updated ON articles (category_id, updated_at DESC, id DESC);
CREATE INDEX articles_editor_title ON articles (title, status, category_id, created_by, updated_at);
CREATE INDEX articles_cover ON articles (cover_media_id) WHERE cover_media_id IS NOT NULL;

UPDATE id_sequences SET last = MAX(last, (SELECT COALESCE(MAX(id), 0) FROM articles)) WHERE name = 'articles';
`
