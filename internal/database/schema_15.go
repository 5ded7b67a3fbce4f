package database

// migration15ArticleEvents lets an article announce an event: when (two instants in UTC and
// the IANA time zone the times are written in), where (a venue, an online link or both) and
// where to register. An all-day event's instants are the midnights, in its time zone, that
// begin its first day and end its last, so "has it ended?" is the same comparison for every
// event and needs no time zone arithmetic in SQL. The index serves the upcoming list (events
// that end after now, by start), the past list (newest ended first) and the home page's check
// that a pinned or featured event is not over.
//
// Its PostgreSQL twin differs only in the types: there starts_at and ends_at are
// TIMESTAMPTZ and article_id BIGINT.
const migration15ArticleEvents = `
CREATE TABLE article_events (
	article_id       INTEGER  PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
	starts_at        DATETIME NOT NULL,
	ends_at          DATETIME NOT NULL,
	all_day          INTEGER  NOT NULL DEFAULT 0,
	time_zone        TEXT     NOT NULL,
	venue            TEXT     NOT NULL DEFAULT '',
	online_url       TEXT     NOT NULL DEFAULT '',
	registration_url TEXT     NOT NULL DEFAULT '',
	CHECK (ends_at > starts_at)
);
CREATE INDEX article_events_ends ON article_events (ends_at, starts_at);
`
