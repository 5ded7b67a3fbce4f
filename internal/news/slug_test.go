package news

import "testing"

func TestSlugify(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Open Day 2026", "open-day-2026"},
		{"Wang Hansong,secretary of the Party Committee of DUT Visited Alumni and Aid Cadres in Xinjiang.",
			"wang-hansong-secretary-of-the-party-committee-of-dut-visited-alumni-and-aid"},
		{"Café Crème & Brûlée", "cafe-creme-brulee"},
		{"DUT's alumni", "duts-alumni"},
		{"alma mater’s cultivation", "alma-maters-cultivation"},
		{"  --Hello,   World!--  ", "hello-world"},
		{"大连理工大学", ""},
		{"<script>alert(1)</script>", "script-alert-1-script"},
		{"", ""},
		{"A", "a"},
	} {
		if got := Slugify(tc.in); got != tc.want {
			t.Errorf("Slugify(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestValidSlug(t *testing.T) {
	for s, want := range map[string]bool{"news": true, "news-events": true, "a1": true, "": false,
		"News": false, "news--events": false, "-news": false, "news/x": false, "nëws": false} {
		if ValidSlug(s) != want {
			t.Errorf("ValidSlug(%q) = %v", s, !want)
		}
	}
}

func TestPageCount(t *testing.T) {
	for _, tc := range []struct {
		total int64
		per   int
		want  int
	}{{0, 20, 1}, {1, 20, 1}, {20, 20, 1}, {21, 20, 2}, {35000, 20, 1750}, {5, 0, 1}} {
		if got := PageCount(tc.total, tc.per); got != tc.want {
			t.Errorf("PageCount(%d, %d) = %d, want %d", tc.total, tc.per, got, tc.want)
		}
	}
}
