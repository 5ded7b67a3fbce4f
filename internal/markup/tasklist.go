package markup

import (
	"github.com/yuin/goldmark"
	gast "github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// taskCheckBoxText renders GFM task-list boxes as the characters ☐ and ☑.
// goldmark's own renderer writes <input type="checkbox">, and the policy
// allows no form controls, so the box would otherwise vanish and a done item
// would look the same as an open one.
type taskCheckBoxText struct{}

// Extend registers the renderer ahead of goldmark's (lower value wins).
func (taskCheckBoxText) Extend(m goldmark.Markdown) {
	m.Renderer().AddOptions(renderer.WithNodeRenderers(
		util.Prioritized(taskCheckBoxText{}, 100),
	))
}

// RegisterFuncs implements renderer.NodeRenderer.
func (taskCheckBoxText) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindTaskCheckBox, renderTaskCheckBox)
}

func renderTaskCheckBox(w util.BufWriter, _ []byte, n gast.Node, entering bool) (gast.WalkStatus, error) {
	if !entering {
		return gast.WalkContinue, nil
	}
	if n.(*ast.TaskCheckBox).IsChecked {
		_, _ = w.WriteString("☑ ")
	} else {
		_, _ = w.WriteString("☐ ")
	}
	return gast.WalkContinue, nil
}
