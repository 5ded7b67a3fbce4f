package wordpress

import (
	"strings"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	nethtml "golang.org/x/net/html"
)

// mdConverter turns cleaned HTML into Markdown for goldmark with the extensions campusnews
// uses (tables, strikethrough). Built once: plugins register many handlers, and a converter is
// safe for concurrent use.
var mdConverter = newConverter()

func newConverter() *converter.Converter {
	conv := converter.NewConverter(converter.WithPlugins(
		base.NewBasePlugin(),
		commonmark.NewCommonmarkPlugin(),
		strikethrough.NewStrikethroughPlugin(),
		// GFM tables need a header row: WordPress tables often have none.
		table.NewTablePlugin(table.WithHeaderPromotion(true), table.WithSpanCellBehavior(table.SpanBehaviorEmpty)),
	))
	// One renderer for all the elements of this package: the converter sorts and tries every
	// renderer for every node.
	conv.Register.Renderer(renderOwn, converter.PriorityEarly)
	conv.Register.TagType(slotElement, converter.TagTypeInline, converter.PriorityEarly)
	conv.Register.TagType(figureElement, converter.TagTypeBlock, converter.PriorityEarly)
	for name := range htmlInline {
		conv.Register.TagType(name, converter.TagTypeInline, converter.PriorityEarly)
	}
	for _, name := range []string{"figcaption", "dt", "dd", "cite", "details", "summary"} {
		conv.Register.TagType(name, converter.TagTypeBlock, converter.PriorityStandard)
	}
	return conv
}

// htmlInline are the inline elements Markdown has no syntax for: they stay as HTML around
// Markdown content, and the sanitizer allows them.
var htmlInline = map[string]bool{"sup": true, "sub": true, "mark": true, "u": true, "ins": true, "kbd": true}

func renderOwn(ctx converter.Context, w converter.Writer, n *nethtml.Node) converter.RenderStatus {
	if n.Type != nethtml.ElementNode {
		return converter.RenderTryNext
	}
	switch {
	case n.Data == slotElement || n.Data == figureElement:
		return renderSlot(ctx, w, n)
	case htmlInline[n.Data]:
		return renderInlineHTML(ctx, w, n)
	}
	return converter.RenderTryNext
}

// renderSlot writes an image's token: inline where an image was, as a paragraph of its own for
// a figure.
func renderSlot(ctx converter.Context, w converter.Writer, n *nethtml.Node) converter.RenderStatus {
	token, _ := ctx.Value(tokenKey{}).(string)
	block := n.Data == figureElement
	if block {
		w.WriteString("\n\n")
	}
	w.WriteString(token + attr(n, "data-slot") + "x")
	if block {
		w.WriteString("\n\n")
	}
	return converter.RenderSuccess
}

func renderInlineHTML(ctx converter.Context, w converter.Writer, n *nethtml.Node) converter.RenderStatus {
	w.WriteString("<" + n.Data + ">")
	ctx.RenderChildNodes(ctx, w, n)
	w.WriteString("</" + n.Data + ">")
	return converter.RenderSuccess
}

// DOM helpers.

func attr(n *nethtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

func setAttr(n *nethtml.Node, key, val string) {
	for i, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, nethtml.Attribute{Key: key, Val: val})
}

// element makes an element with attributes given as key, value pairs.
func element(name string, kv ...string) *nethtml.Node {
	n := &nethtml.Node{Type: nethtml.ElementNode, Data: name}
	for i := 0; i+1 < len(kv); i += 2 {
		n.Attr = append(n.Attr, nethtml.Attribute{Key: kv[i], Val: kv[i+1]})
	}
	return n
}

// unwrap replaces n by its children.
func unwrap(n *nethtml.Node) {
	for ch := n.FirstChild; ch != nil; {
		next := ch.NextSibling
		n.RemoveChild(ch)
		n.Parent.InsertBefore(ch, n)
		ch = next
	}
	n.Parent.RemoveChild(n)
}

// onlySlot returns the image slot that is n's only content (besides whitespace), or nil.
func onlySlot(n *nethtml.Node) *nethtml.Node {
	var found *nethtml.Node
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		switch {
		case ch.Type == nethtml.TextNode && strings.TrimSpace(ch.Data) == "":
		case ch.Type == nethtml.ElementNode && ch.Data == slotElement && found == nil:
			found = ch
		default:
			return nil
		}
	}
	return found
}

// inside tells whether n has an ancestor of one of the names.
func inside(n *nethtml.Node, names ...string) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		for _, name := range names {
			if p.Type == nethtml.ElementNode && p.Data == name {
				return true
			}
		}
	}
	return false
}

func textContent(n *nethtml.Node) string {
	var b strings.Builder
	var walk func(*nethtml.Node)
	walk = func(n *nethtml.Node) {
		if n.Type == nethtml.TextNode {
			b.WriteString(n.Data)
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(n)
	return b.String()
}

// hasElement tells whether n contains an element (an image slot, a line break...).
func hasElement(n *nethtml.Node) bool {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == nethtml.ElementNode {
			return true
		}
	}
	return false
}
