// Package assets holds the stylesheets, scripts and images, embedded in the binary.
package assets

import "embed"

// FS is every static file: css/, js/, img/.
//
//go:embed css js img
var FS embed.FS
