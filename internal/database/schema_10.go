package database

// migration10ArticleIDsOnDelete moves the article id sequence past every deleted article.
// Articles inserted without it (demo and generated content) left it behind the highest id,
// so deleting the newest of them still freed that id for the next article.
const migration10ArticleIDsOnDelete = `
CREATE TRIGGER articles_delete_keeps_id AFTER DELETE ON articles BEGIN
	UPDATE id_sequences SET last = MAX(last, OLD.id) WHERE name = 'articles';
END;
`
