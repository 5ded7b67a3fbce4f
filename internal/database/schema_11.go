package database

// migration11ContentVersion keeps, in the database, the one record of when content readers can
// see last changed. Every change to it commits in the same transaction as the change itself,
// so every process serving the site (and every command that writes) agrees on it: a process
// compares it with what it holds in memory (pages, the category tree, listing counts) to know
// those are stale. gen counts changes; changed_unix is the second of the last one, for HTTP
// dates; exact is 0 when the change before happened within the same second.
const migration11ContentVersion = `
CREATE TABLE content_version (
	id           INTEGER PRIMARY KEY CHECK (id = 1),
	gen          INTEGER NOT NULL,
	changed_unix INTEGER NOT NULL,
	exact        INTEGER NOT NULL DEFAULT 1
);
INSERT INTO content_version (id, gen, changed_unix, exact) VALUES (1, 1, CAST(strftime('%s', 'now') AS INTEGER), 1);
`
