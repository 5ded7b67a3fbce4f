package importer

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strconv"
	"testing"
)

var (
	itemRe   = regexp.MustCompile(`(?s)<item>.*?</item>`)
	postIDRe = regexp.MustCompile(`<wp:post_id>(\d+)</wp:post_id>`)
	nameRe   = regexp.MustCompile(`<wp:post_name><!\[CDATA\[([^\]]*)\]\]></wp:post_name>`)
	linkRe   = regexp.MustCompile(`<link>(https://[^<]*?)/?</link>`)
	titleRe  = regexp.MustCompile(`<title><!\[CDATA\[([^\]]*)\]\]></title>`)
)

// syntheticExport is the test export with its posts copied until it holds about n: each copy
// a new post (id, slug, permalink, title), with the same text, categories, tags and images,
// which are stored once.
func syntheticExport(tb testing.TB, n int) []byte {
	tb.Helper()
	data := readExport(tb)
	items := itemRe.FindAll(data, -1)
	last := bytes.LastIndex(data, items[len(items)-1]) + len(items[len(items)-1])
	var posts [][]byte
	for _, it := range items {
		if bytes.Contains(it, []byte("<wp:post_type><![CDATA[post]]></wp:post_type>")) {
			posts = append(posts, it)
		}
	}
	var b bytes.Buffer
	b.Write(data[:last])
	for k := 1; k*len(posts) < n-len(posts); k++ {
		suffix := "-" + strconv.Itoa(k)
		for _, p := range posts {
			p = postIDRe.ReplaceAllFunc(p, func(m []byte) []byte {
				id, _ := strconv.Atoi(string(postIDRe.FindSubmatch(m)[1]))
				return fmt.Appendf(nil, "<wp:post_id>%d</wp:post_id>", id+k*100000)
			})
			p = nameRe.ReplaceAll(p, []byte("<wp:post_name><![CDATA[${1}"+suffix+"]]></wp:post_name>"))
			p = linkRe.ReplaceAll(p, []byte("<link>${1}"+suffix+"/</link>"))
			p = titleRe.ReplaceAll(p, []byte("<title><![CDATA[${1} ("+strconv.Itoa(k)+")]]></title>"))
			b.WriteString("\n\t")
			b.Write(p)
		}
	}
	b.Write(data[last:])
	return b.Bytes()
}

// BenchmarkImportWordPress imports an export of 2,000 posts into an empty site.
func BenchmarkImportWordPress(b *testing.B) {
	data := syntheticExport(b, 2000)
	var posts int
	for range b.N {
		b.StopTimer()
		s := newTestSite(b)
		b.StartTimer()
		rep, err := s.importer.WordPress(context.Background(), options(data))
		if err != nil {
			b.Fatal(err)
		}
		posts = rep.Imported()
	}
	b.ReportMetric(float64(posts)*float64(b.N)/b.Elapsed().Seconds(), "posts/s")
	b.ReportMetric(float64(len(data))*float64(b.N)/b.Elapsed().Seconds()/1e6, "MB/s")
	b.ReportMetric(float64(posts), "posts")
}
