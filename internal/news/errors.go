package news

import "errors"

// ErrNotFound means no visible article, category or tag matches.
var ErrNotFound = errors.New("news: not found")
