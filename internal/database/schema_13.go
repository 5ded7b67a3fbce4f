package database

// migration13LoginFailures keeps the failed sign-in attempts the login throttle counts, in the
// database rather than in one process's memory, so that every instance serving the site counts
// the same attempts. One row per attempt: an attempt is written before its password is checked
// and removed again if it succeeds, so parallel guesses count while they run. account is a
// digest of the address typed (or the account id, for second-factor codes); addr is the
// client's address, an IPv6 address by its /64; at is Unix seconds. Rows older than the
// longest window are deleted as attempts come in.
const migration13LoginFailures = `
CREATE TABLE login_failures (
	id      INTEGER PRIMARY KEY,
	kind    TEXT    NOT NULL,
	account TEXT    NOT NULL,
	addr    TEXT    NOT NULL,
	at      BIGINT  NOT NULL
);
CREATE INDEX login_failures_account ON login_failures (kind, account, addr, at);
CREATE INDEX login_failures_addr ON login_failures (kind, addr, at);
CREATE INDEX login_failures_at ON login_failures (at);
`
