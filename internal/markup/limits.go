package markup

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Limits on what one body can make the parser do. goldmark's time grows with the square of
// some things a body can hold: how deep block quotes and lists nest, how many link brackets
// are open at once, how many emphasis markers a paragraph has that find no partner, how many
// times a paragraph searches to its end for a closing backtick run or link destination. Past a
// limit the marker is left as the text it is, so nothing typed is lost, and every body renders
// in time that grows with its length only. Text under the limits renders exactly as goldmark
// renders it (TestLimitsKeepOrdinaryText); the limits are far above what an article uses.
const (
	// MaxNesting is how deep block quotes, lists and list items may nest inside each other.
	// A list counts twice (the list and its item).
	MaxNesting = 32

	// Per paragraph (or heading, or table cell):

	// maxOpenBrackets is how many "[" or "![" may wait for their "]" at once.
	maxOpenBrackets = 32
	// maxLinkMisses is how many "](" or "][" may fail to make a link; each failure reads on to
	// the end of the line or paragraph.
	maxLinkMisses = 16
	// maxDelimiters is how many runs of *, _ or ~ that could open or close emphasis or
	// strikethrough a paragraph may have: each closing run looks back through all of them.
	maxDelimiters = 100
	// maxCodeMisses is how many backtick runs may find no closing run of the same length; each
	// search reads to the end of the paragraph.
	maxCodeMisses = 16
	// maxTagMisses is how many "<" followed by a letter may turn out not to be an HTML tag;
	// each costs a regular expression match over what follows.
	maxTagMisses = 32
)

// newParser is goldmark's default parser with the container block parsers and the inline
// parsers whose cost a body can square wrapped in the limits above.
func newParser() parser.Parser {
	wrapped := 0
	blocks := parser.DefaultBlockParsers()
	for i, p := range blocks {
		switch p.Value {
		case parser.NewBlockquoteParser():
			blocks[i].Value = nestingLimit{p.Value.(parser.BlockParser), 1}
		case parser.NewListParser():
			// A list always opens with its first item.
			blocks[i].Value = nestingLimit{p.Value.(parser.BlockParser), 2}
		default:
			continue
		}
		wrapped++
	}
	inlines := parser.DefaultInlineParsers()
	for i, p := range inlines {
		switch p.Value {
		case parser.NewLinkParser():
			inlines[i].Value = linkLimit{p.Value.(parser.InlineParser)}
		case parser.NewEmphasisParser():
			inlines[i].Value = delimiterLimit{p.Value.(parser.InlineParser)}
		case parser.NewCodeSpanParser():
			inlines[i].Value = codeSpanLimit{p.Value.(parser.InlineParser)}
		case parser.NewRawHTMLParser():
			inlines[i].Value = rawHTMLLimit{p.Value.(parser.InlineParser)}
		default:
			continue
		}
		wrapped++
	}
	// Strikethrough comes with its extension; this runs just before it.
	inlines = append(inlines, util.Prioritized(strikethroughLimit{}, 499))
	paragraphs := parser.DefaultParagraphTransformers()
	for i, p := range paragraphs {
		if p.Value == parser.LinkReferenceParagraphTransformer {
			paragraphs[i].Value = refDefLimit{parser.LinkReferenceParagraphTransformer}
			wrapped++
		}
	}
	if wrapped != 7 {
		// goldmark's defaults are no longer what the limits wrap: a body could cost the square
		// of its length again. Fail at start, not in production.
		panic("markup: goldmark's default parsers have changed; review limits.go")
	}
	return parser.NewParser(
		parser.WithBlockParsers(blocks...),
		parser.WithInlineParsers(inlines...),
		parser.WithParagraphTransformers(paragraphs...),
	)
}

// nestingLimit opens its block only while the result stays within MaxNesting containers.
type nestingLimit struct {
	parser.BlockParser
	adds int // levels the block adds
}

func (l nestingLimit) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	depth := 0
	for n := parent; n != nil && n.Kind() != ast.KindDocument; n = n.Parent() {
		depth++
	}
	if depth+l.adds > MaxNesting {
		// The line is then read as text (or whatever else it can be) where it is.
		return nil, parser.NoChildren
	}
	return l.BlockParser.Open(parent, reader, pc)
}

// budget counts, for the inline block being parsed, what the limits bound.
type budget struct {
	block        ast.Node
	openBrackets int // opened by goldmark's link parser, waiting for "]"
	textBrackets int // left as text past a limit, waiting for a "]" to be text as well
	linkMisses   int
	delimiters   int
	codeMisses   int
	tagMisses    int
}

var budgetKey = parser.NewContextKey()

// budgetOf returns the counts of block, starting afresh when the parser has moved on to
// another block.
func budgetOf(pc parser.Context, block ast.Node) *budget {
	b, _ := pc.Get(budgetKey).(*budget)
	if b == nil {
		b = &budget{}
		pc.Set(budgetKey, b)
	}
	if b.block != block {
		*b = budget{block: block}
	}
	return b
}

// literal consumes the next n bytes of block as plain text. The text joins the text before it
// when it can: goldmark appends what an inline parser returns, and appending the last child
// again leaves it in place. Text past a limit thus stays one node, not one per character for
// the link parser to walk.
func literal(parent ast.Node, block text.Reader, n int) ast.Node {
	_, seg := block.PeekLine()
	block.Advance(n)
	seg = seg.WithStop(seg.Start + n)
	if t, ok := parent.LastChild().(*ast.Text); ok && t.Segment.Stop == seg.Start &&
		!t.SoftLineBreak() && !t.HardLineBreak() && !t.IsRaw() {
		t.Segment = t.Segment.WithStop(seg.Stop)
		return t
	}
	return ast.NewTextSegment(seg)
}

// runOf returns the length of the run of c at the start of line, at most max.
func runOf(line []byte, c byte, max int) int {
	n := 0
	for n < len(line) && n < max && line[n] == c {
		n++
	}
	return n
}

// linkLimit bounds open brackets and failed link attempts.
type linkLimit struct{ parser.InlineParser }

func (l linkLimit) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	b := budgetOf(pc, parent)
	line, _ := block.PeekLine()
	if line[0] != ']' {
		if line[0] == '!' && (len(line) < 2 || line[1] != '[') {
			return nil // a "!" that starts no image
		}
		if b.textBrackets > 0 || b.openBrackets >= maxOpenBrackets || b.linkMisses >= maxLinkMisses {
			// Past a limit a bracket is text, and so is the "]" that closes it.
			if line[0] == '!' {
				b.textBrackets++
				return literal(parent, block, 2)
			}
			n := runOf(line, '[', len(line))
			b.textBrackets += n
			return literal(parent, block, n)
		}
		n := l.InlineParser.Parse(parent, block, pc)
		if n != nil {
			b.openBrackets++
		}
		return n
	}
	if b.textBrackets > 0 {
		n := runOf(line, ']', b.textBrackets)
		b.textBrackets -= n
		return literal(parent, block, n)
	}
	if b.openBrackets == 0 {
		// No bracket waits: goldmark leaves the "]" as text without looking further.
		return l.InlineParser.Parse(parent, block, pc)
	}
	// The "]" closes the last open bracket, making a link or not.
	b.openBrackets--
	n := l.InlineParser.Parse(parent, block, pc)
	if n == nil && len(line) > 1 && (line[1] == '(' || line[1] == '[') {
		b.linkMisses++
	}
	return n
}

// CloseBlock lets goldmark's link parser turn the brackets left open into text.
func (l linkLimit) CloseBlock(parent ast.Node, block text.Reader, pc parser.Context) {
	if cb, ok := l.InlineParser.(parser.CloseBlocker); ok {
		cb.CloseBlock(parent, block, pc)
	}
}

// runFlanks scans the run of delimiter characters at the start of line the way goldmark does
// and returns its length and whether it could open or close a span.
func runFlanks(block text.Reader, line []byte) (n int, canOpen, canClose bool) {
	d := parser.ScanDelimiter(line, block.PrecendingCharacter(), 1, anyDelimiter{})
	if d == nil {
		return 0, false, false
	}
	return d.OriginalLength, d.CanOpen, d.CanClose
}

// anyDelimiter lets ScanDelimiter measure runs of *, _ and ~.
type anyDelimiter struct{}

func (anyDelimiter) IsDelimiter(c byte) bool                   { return c == '*' || c == '_' || c == '~' }
func (anyDelimiter) CanOpenCloser(_, _ *parser.Delimiter) bool { return false }
func (anyDelimiter) OnMatch(int) ast.Node                      { return nil }

// delimiterLimit bounds the runs of * and _ a paragraph may hold as possible emphasis.
type delimiterLimit struct{ parser.InlineParser }

func (l delimiterLimit) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	n, canOpen, canClose := runFlanks(block, line)
	if n == 0 {
		return l.InlineParser.Parse(parent, block, pc)
	}
	b := budgetOf(pc, parent)
	// A run that can neither open nor close never becomes emphasis: goldmark would carry it
	// as a delimiter to the end of the paragraph and then print it as it is.
	if !canOpen && !canClose || b.delimiters >= maxDelimiters {
		return literal(parent, block, n)
	}
	b.delimiters++
	return l.InlineParser.Parse(parent, block, pc)
}

// strikethroughLimit runs before goldmark's strikethrough parser, which it cannot wrap, and
// shares the emphasis runs' budget: both wait in the same list.
type strikethroughLimit struct{}

func (strikethroughLimit) Trigger() []byte { return []byte{'~'} }

func (strikethroughLimit) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	n, canOpen, canClose := runFlanks(block, line)
	if n == 0 || n > 2 || block.PrecendingCharacter() == '~' {
		return nil // not strikethrough: goldmark's parser declines it too
	}
	b := budgetOf(pc, parent)
	if !canOpen && !canClose || b.delimiters >= maxDelimiters {
		return literal(parent, block, n)
	}
	b.delimiters++
	return nil // counted; goldmark's parser takes it
}

// codeSpanLimit bounds the backtick runs that search in vain for their closing run.
type codeSpanLimit struct{ parser.InlineParser }

func (l codeSpanLimit) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	b := budgetOf(pc, parent)
	if b.codeMisses >= maxCodeMisses {
		line, _ := block.PeekLine()
		return literal(parent, block, runOf(line, '`', len(line)))
	}
	n := l.InlineParser.Parse(parent, block, pc)
	if _, ok := n.(*ast.Text); ok {
		b.codeMisses++ // goldmark gives the run back as text when no run closes it
	}
	return n
}

// rawHTMLLimit bounds the "<" that look like a tag and are not.
type rawHTMLLimit struct{ parser.InlineParser }

func (l rawHTMLLimit) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	tagLike := len(line) > 1 && util.IsAlphaNumeric(line[1]) ||
		len(line) > 2 && line[1] == '/' && util.IsAlphaNumeric(line[2])
	if !tagLike {
		// Comments, declarations and the like: goldmark remembers where a search failed.
		return l.InlineParser.Parse(parent, block, pc)
	}
	b := budgetOf(pc, parent)
	if b.tagMisses >= maxTagMisses {
		return nil // the "<" stays text, as when the match fails
	}
	n := l.InlineParser.Parse(parent, block, pc)
	if n == nil {
		b.tagMisses++
	}
	return n
}

// refDefLines is how many lines of a paragraph goldmark's link reference definition reader
// gets at a time: it copies the lines left after each definition it takes out, and reads the
// text of each by a walk over all of them, so a paragraph of n definitions costs n squared.
const refDefLines = 256

// refDefLimit hands a long paragraph to goldmark's definition reader a chunk at a time. Only a
// definition across the boundary of two chunks, after hundreds of definitions in a row, can
// read differently.
type refDefLimit struct{ parser.ParagraphTransformer }

func (l refDefLimit) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	for node.Lines().Len() > refDefLines {
		lines := node.Lines()
		rest := append([]text.Segment(nil), lines.Sliced(refDefLines, lines.Len())...)
		head := text.NewSegments()
		head.AppendAll(lines.Sliced(0, refDefLines))
		parent, next := node.Parent(), node.NextSibling()
		node.SetLines(head)
		l.ParagraphTransformer.Transform(node, reader, pc)
		if node.Parent() != nil {
			// The definitions ended in this chunk: the paragraph is what is left, and the rest.
			left := node.Lines()
			all := text.NewSegments()
			all.AppendAll(left.Sliced(0, left.Len()))
			all.AppendAll(rest)
			node.SetLines(all)
			return
		}
		// The whole chunk was definitions and goldmark took the paragraph out: put it back
		// with the rest, after them.
		if next != nil {
			parent.InsertBefore(parent, next, node)
		} else {
			parent.AppendChild(parent, node)
		}
		more := text.NewSegments()
		more.AppendAll(rest)
		node.SetLines(more)
	}
	l.ParagraphTransformer.Transform(node, reader, pc)
}
