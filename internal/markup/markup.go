// Package markup turns staff-written Markdown into sanitized HTML and plain text.
package markup

import (
	"bytes"
	"html"
	"strings"

	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	goldhtml "github.com/yuin/goldmark/renderer/html"
)

// md is configured once: goldmark instances are safe for concurrent use and
// building one per call would redo the extension wiring every time. Its parser
// is goldmark's within the limits of limits.go.
var md = newMarkdown(newParser())

// newMarkdown configures goldmark around parser p.
//
// Typographer stays off on purpose: articles must show exactly what staff
// typed (straight quotes stay straight, curly apostrophes stay curly).
// WithUnsafe lets harmless inline HTML such as <sup> through to the
// sanitizer, which is the one place that decides what is allowed.
func newMarkdown(p parser.Parser) goldmark.Markdown {
	return goldmark.New(
		goldmark.WithParser(p),
		goldmark.WithExtensions(
			// Alignment as an align attribute: the default is a style attribute,
			// which the policy strips.
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough,
			extension.Linkify,
			extension.TaskList,
			taskCheckBoxText{},
		),
		goldmark.WithRendererOptions(goldhtml.WithUnsafe()),
	)
}

// Render converts Markdown to sanitized HTML, ready to be stored as an
// article's body_html and later marked safe by the template layer.
func Render(src string) string {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		// goldmark fails only when its writer fails, and bytes.Buffer does
		// not; should it ever happen, show the text rather than lose it.
		return Sanitize("<p>" + html.EscapeString(src) + "</p>")
	}
	return Sanitize(buf.String())
}

// Sanitize applies the package's HTML policy to HTML from any source.
func Sanitize(s string) string {
	out := balance(policy.Sanitize(s))
	// bluemonday can add rel="nofollow" to off-site links but only adds
	// noopener together with target="_blank", which we do not want. The
	// policy never lets a rel attribute through from the input and the
	// serializer escapes every quote in text and attribute values, so this
	// exact byte sequence can only be the attribute bluemonday added.
	return strings.ReplaceAll(out, ` rel="nofollow"`, ` rel="nofollow noopener"`)
}

// bodyContext is where stored HTML ends up: inside an element of the page.
var bodyContext = &nethtml.Node{Type: nethtml.ElementNode, Data: "div", DataAtom: atom.Div}

// balance closes what the input left open. bluemonday filters tokens but does
// not balance them, so a stray "<a href=…>" or "<table>" would swallow the
// rest of the page around the article. It runs after sanitizing, when no
// script, style, SVG or MathML is left, so re-serializing cannot change what
// the markup means.
func balance(s string) string {
	nodes, err := nethtml.ParseFragment(strings.NewReader(s), bodyContext)
	if err != nil {
		return s // only reader errors, impossible with strings.Reader
	}
	var buf bytes.Buffer
	for _, n := range nodes {
		if err := nethtml.Render(&buf, n); err != nil {
			return s // only writer errors, impossible with bytes.Buffer
		}
	}
	return buf.String()
}
