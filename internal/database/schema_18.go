package database

// migration18StatusByID replaces migration 17's partial index of the published articles with
// a whole index of every article's id, status and category, which serves the topic counts the
// same way (each tag row looked up by id, answered from the index entry).
//
// A partial index whose condition compares a column with a value (status = 'published') costs
// every query that binds that column: SQLite checks the bound value against the condition when
// it plans, and then plans the statement again each time it is bound. Every reader's query of
// the articles binds the status, so each was parsed and planned on every execution; the
// previous and next articles of a page took 88 µs instead of 30.
const migration18StatusByID = `
DROP INDEX articles_published_ids;
CREATE INDEX articles_id_status ON articles (id, status, category_id);
`
