// Package views holds the HTML templates, embedded so the binary runs from any directory.
package views

import "embed"

// FS is every template: layouts/, partials/, pages/, editor/, admin/, errors/.
//
//go:embed layouts partials pages editor errors admin
var FS embed.FS
