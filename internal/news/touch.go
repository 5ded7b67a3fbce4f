package news

// Touch marks what readers see as changed although no news data did, such as the site's
// name in every page's header: the tree is read again and caches keyed on Generation go
// stale at once.
func (s *Service) Touch() { s.changed() }
