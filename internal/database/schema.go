package database

// The frozen SQL of each migration. Times are stored in UTC.

const migration1News = `
CREATE TABLE categories (
	id          INTEGER PRIMARY KEY,
	parent_id   INTEGER REFERENCES categories(id) ON DELETE RESTRICT,
	name        TEXT    NOT NULL,
	slug        TEXT    NOT NULL,
	description TEXT    NOT NULL DEFAULT '',
	position    INTEGER NOT NULL DEFAULT 0,
	visible     INTEGER NOT NULL DEFAULT 1,
	created_at  DATETIME NOT NULL,
	updated_at  DATETIME NOT NULL
);
CREATE UNIQUE INDEX categories_sibling_slug ON categories (IFNULL(parent_id, 0), slug);
CREATE INDEX categories_parent ON categories (parent_id, position);

CREATE TABLE articles (
	id             INTEGER PRIMARY KEY,
	category_id    INTEGER NOT NULL REFERENCES categories(id) ON DELETE RESTRICT,
	title          TEXT    NOT NULL,
	slug           TEXT    NOT NULL,
	summary        TEXT    NOT NULL DEFAULT '',
	body_source    TEXT    NOT NULL DEFAULT '',
	body_html      TEXT    NOT NULL DEFAULT '',
	cover_media_id INTEGER,
	source         TEXT    NOT NULL DEFAULT '',
	author         TEXT    NOT NULL DEFAULT '',
	photographer   TEXT    NOT NULL DEFAULT '',
	editor         TEXT    NOT NULL DEFAULT '',
	status         TEXT    NOT NULL DEFAULT 'draft',
	published_at   DATETIME,
	expires_at     DATETIME,
	pinned         INTEGER NOT NULL DEFAULT 0,
	featured       INTEGER NOT NULL DEFAULT 0,
	views          INTEGER NOT NULL DEFAULT 0,
	created_by     INTEGER,
	approved_by    INTEGER,
	updated_by     INTEGER,
	created_at     DATETIME NOT NULL,
	updated_at     DATETIME NOT NULL
);
CREATE UNIQUE INDEX articles_slug ON articles (slug);
CREATE INDEX articles_category_listing ON articles (status, category_id, published_at DESC, id DESC);
CREATE INDEX articles_listing ON articles (status, published_at DESC, id DESC);
CREATE INDEX articles_headlines ON articles (status, pinned, featured, published_at DESC);
CREATE INDEX articles_created_by ON articles (created_by, status);

CREATE TABLE tags (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	slug TEXT NOT NULL UNIQUE
);

CREATE TABLE article_tags (
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	tag_id     INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
	PRIMARY KEY (article_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX article_tags_tag ON article_tags (tag_id, article_id);

CREATE TABLE revisions (
	id          INTEGER PRIMARY KEY,
	article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	title       TEXT    NOT NULL,
	summary     TEXT    NOT NULL DEFAULT '',
	body_source TEXT    NOT NULL DEFAULT '',
	snapshot    TEXT    NOT NULL DEFAULT '{}',
	user_id     INTEGER,
	note        TEXT    NOT NULL DEFAULT '',
	created_at  DATETIME NOT NULL
);
CREATE INDEX revisions_article ON revisions (article_id, id DESC);
`

const migration2Accounts = `
CREATE TABLE users (
	id                   INTEGER PRIMARY KEY,
	email                TEXT    NOT NULL COLLATE NOCASE UNIQUE,
	name                 TEXT    NOT NULL,
	role                 TEXT    NOT NULL,
	active               INTEGER NOT NULL DEFAULT 1,
	password_hash        TEXT    NOT NULL,
	must_change_password INTEGER NOT NULL DEFAULT 0,
	session_version      INTEGER NOT NULL DEFAULT 1,
	totp_secret          TEXT    NOT NULL DEFAULT '',
	totp_enabled         INTEGER NOT NULL DEFAULT 0,
	recovery_codes       TEXT    NOT NULL DEFAULT '',
	last_login_at        DATETIME,
	created_at           DATETIME NOT NULL,
	updated_at           DATETIME NOT NULL
);

CREATE TABLE audit_entries (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER,
	user_email TEXT NOT NULL DEFAULT '',
	action     TEXT NOT NULL,
	subject    TEXT NOT NULL DEFAULT '',
	detail     TEXT NOT NULL DEFAULT '',
	ip         TEXT NOT NULL DEFAULT '',
	at         DATETIME NOT NULL
);
CREATE INDEX audit_entries_at ON audit_entries (at DESC);
CREATE INDEX audit_entries_action ON audit_entries (action, at DESC);
CREATE INDEX audit_entries_user ON audit_entries (user_id, at DESC);
`

// The index holds published articles only; rowid is the article id.
const migration3Search = `
CREATE VIRTUAL TABLE articles_fts USING fts5(
	title, summary, body,
	tokenize = 'unicode61 remove_diacritics 2'
);
`

const migration4Media = `
CREATE TABLE media (
	id          INTEGER PRIMARY KEY,
	path        TEXT    NOT NULL UNIQUE,
	mime        TEXT    NOT NULL,
	size        INTEGER NOT NULL,
	width       INTEGER NOT NULL,
	height      INTEGER NOT NULL,
	variants    TEXT    NOT NULL DEFAULT '',
	alt         TEXT    NOT NULL DEFAULT '',
	decorative  INTEGER NOT NULL DEFAULT 0,
	caption     TEXT    NOT NULL DEFAULT '',
	credit      TEXT    NOT NULL DEFAULT '',
	uploaded_by INTEGER,
	created_at  DATETIME NOT NULL
);
CREATE INDEX media_created ON media (created_at DESC);

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;
`
