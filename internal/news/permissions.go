package news

// The rules of who may do what to an article live here, so the service that enforces them
// and the pages that offer or hide a button cannot drift apart.

// owns reports whether a created art.
func (a Actor) owns(art *Article) bool {
	return art.CreatedBy != nil && *art.CreatedBy == a.UserID
}

// CanOpen reports whether a may open art in the staff area: editors any article, writers
// their own.
func (a Actor) CanOpen(art *Article) bool {
	return a.CanEditAny || a.owns(art)
}

// CanEdit reports whether a may change the content of art: editors always, writers their own
// articles while they are drafts or in review.
func (a Actor) CanEdit(art *Article) bool {
	return a.CanEditAny || a.owns(art) && (art.Status == Draft || art.Status == Review)
}

// CanDelete reports whether a may delete art: editors any article, writers only their own
// drafts that were never published.
func (a Actor) CanDelete(art *Article) bool {
	return a.CanPublish || a.owns(art) && art.Status == Draft && art.PublishedAt == nil
}
