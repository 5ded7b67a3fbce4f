package web

import (
	"reflect"
	"testing"
)

func TestPagerLinks(t *testing.T) {
	nums := func(p Pager) []int {
		var out []int
		for _, l := range p.Links() {
			out = append(out, l.Number)
		}
		return out
	}
	for _, tc := range []struct {
		page, pages int
		want        []int
	}{
		{1, 1, nil},
		{1, 3, []int{1, 2, 3}},
		{1, 10, []int{1, 2, 3, 0, 10}},
		{5, 10, []int{1, 0, 3, 4, 5, 6, 7, 0, 10}},
		{10, 10, []int{1, 0, 8, 9, 10}},
		{4, 10, []int{1, 2, 3, 4, 5, 6, 0, 10}},
	} {
		if got := nums(Pager{Page: tc.page, Pages: tc.pages, BaseURL: "/x"}); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("page %d of %d: links %v, want %v", tc.page, tc.pages, got, tc.want)
		}
	}
}

func TestPagerURLs(t *testing.T) {
	p := Pager{Page: 2, Pages: 3, BaseURL: "/news-events/news"}
	if p.URL(1) != "/news-events/news" || p.URL(3) != "/news-events/news?page=3" || p.Prev() != "/news-events/news" ||
		p.Next() != "/news-events/news?page=3" {
		t.Errorf("urls: %q %q %q %q", p.URL(1), p.URL(3), p.Prev(), p.Next())
	}
	q := Pager{Page: 1, Pages: 2, BaseURL: "/search", Query: "q=exam+results&"}
	if q.URL(1) != "/search?q=exam+results" || q.Next() != "/search?q=exam+results&page=2" || q.Prev() != "" {
		t.Errorf("search urls: %q %q %q", q.URL(1), q.Next(), q.Prev())
	}
	last := Pager{Page: 3, Pages: 3, BaseURL: "/x"}
	if last.Next() != "" {
		t.Errorf("last page has a next link %q", last.Next())
	}
}
