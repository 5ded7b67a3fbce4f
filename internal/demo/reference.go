package demo

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"
)

// content holds the reference articles: real articles the portal must show exactly as written.
//
//go:embed content/*.md
var content embed.FS

// referenceTags are the tags given to each reference article, by file name.
var referenceTags = map[string][]string{
	"dut-xinjiang-alumni-visit.md": {"alumni", "community"},
}

// referenceArticles reads every embedded reference file. The front matter places it (section
// and category by name), dates it (published, a day, taken as 08:00 UTC) and credits it
// (source); the body is stored unchanged.
func referenceArticles() ([]demoArticle, error) {
	names, err := fs.Glob(content, "content/*.md")
	if err != nil {
		return nil, fmt.Errorf("demo: reference articles: %w", err)
	}
	out := make([]demoArticle, 0, len(names))
	for _, name := range names {
		raw, err := content.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("demo: %s: %w", name, err)
		}
		meta, body, err := parseDocument(string(raw))
		if err != nil {
			return nil, fmt.Errorf("demo: %s: %w", name, err)
		}
		for _, k := range []string{"title", "section", "category", "published"} {
			if meta[k] == "" {
				return nil, fmt.Errorf("demo: %s: front matter has no %s", name, k)
			}
		}
		day, err := time.Parse("2006-01-02", meta["published"])
		if err != nil {
			return nil, fmt.Errorf("demo: %s: published: %w", name, err)
		}
		out = append(out, demoArticle{
			Category:  meta["section"] + " › " + meta["category"],
			Title:     meta["title"],
			Source:    meta["source"],
			Published: day.Format("2006-01-02"),
			Tags:      referenceTags[strings.TrimPrefix(name, "content/")],
			Body:      body,
		})
	}
	return out, nil
}

// parseDocument splits a Markdown file into its front matter and body. The front matter is
// the block between a first line "---" and the next line "---", one `key: value` per line,
// the value optionally in double quotes (taken literally, no escapes). The body is the rest,
// without the blank lines around it; its text is not otherwise touched.
func parseDocument(src string) (map[string]string, string, error) {
	rest, ok := cutLine(src, "---")
	if !ok {
		return nil, "", errors.New("demo: no front matter")
	}
	meta := map[string]string{}
	for {
		if rest == "" {
			return nil, "", errors.New("demo: front matter not closed")
		}
		line, after, _ := strings.Cut(rest, "\n")
		rest = after
		line = strings.TrimRight(line, "\r")
		if line == "---" {
			break
		}
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, "", fmt.Errorf("demo: front matter line %q: no colon", line)
		}
		value = strings.TrimSpace(value)
		if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
			value = value[1 : len(value)-1]
		}
		meta[strings.TrimSpace(key)] = value
	}
	return meta, strings.Trim(rest, "\r\n"), nil
}

// cutLine reports whether s starts with the line want and returns what follows it.
func cutLine(s, want string) (string, bool) {
	line, rest, _ := strings.Cut(s, "\n")
	return rest, strings.TrimRight(line, "\r") == want
}
