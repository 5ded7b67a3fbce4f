package database

// migration16ImportSources remembers where imported content came from, so that running an
// import again updates what it loaded before instead of adding it twice, and keeps the old
// site's addresses answering.
//
//   - article_sources (news): the article made from item key (a WordPress post id) of source
//     (the WordPress site).
//   - article_redirects (news): an old address of an article, normalized (decoded, lower case,
//     no trailing slash; "/?p=12" for the query form), answered with 301 to the article.
//   - import_media (importer): the image of the media library made from file or attachment key
//     of source, so that an image used by several posts, or imported again, is stored once.
//
// Deleting an article or an image deletes its rows here (the foreign keys), so no row points at
// nothing and the next import makes it again.
const migration16ImportSources = `
CREATE TABLE article_sources (
	source     TEXT    NOT NULL,
	key        TEXT    NOT NULL,
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	PRIMARY KEY (source, key)
);
CREATE INDEX article_sources_article ON article_sources (article_id);
CREATE TABLE article_redirects (
	path       TEXT    NOT NULL PRIMARY KEY,
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE
);
CREATE INDEX article_redirects_article ON article_redirects (article_id);
CREATE TABLE import_media (
	source   TEXT    NOT NULL,
	key      TEXT    NOT NULL,
	media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
	PRIMARY KEY (source, key)
);
CREATE INDEX import_media_media ON import_media (media_id);
`
