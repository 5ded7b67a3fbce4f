package database

// migration5Sessions keeps one row per staff login, so logging out, a password change or a
// deactivation ends a session on the server and not only in the browser.
const migration5Sessions = `
CREATE TABLE user_sessions (
	id           TEXT PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at   DATETIME NOT NULL,
	last_seen_at DATETIME NOT NULL,
	ip           TEXT NOT NULL DEFAULT '',
	user_agent   TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX user_sessions_user ON user_sessions (user_id);
`
