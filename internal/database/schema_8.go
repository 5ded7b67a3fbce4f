package database

// migration8TOTPStep records the last time step whose two-factor code was accepted, so a code
// cannot be used a second time within its half minute.
const migration8TOTPStep = `
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
`
