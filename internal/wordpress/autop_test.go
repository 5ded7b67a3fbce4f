package wordpress

import (
	"encoding/json"
	"os"
	"testing"
)

// wpautopCase is one entry of testdata/wpautop.json, written by WordPress itself
// (testdata/make-export.php): an input and what wpautop() and shortcode_unautop() made of it.
type wpautopCase struct {
	In      string `json:"in"`
	Autop   string `json:"autop"`
	NoBr    string `json:"nobr"`
	Unautop string `json:"unautop"`
}

func loadWpautopCases(t testing.TB) []wpautopCase {
	t.Helper()
	data, err := os.ReadFile("testdata/wpautop.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []wpautopCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 50 {
		t.Fatalf("only %d cases in testdata/wpautop.json", len(cases))
	}
	return cases
}

// TestWpautopMatchesWordPress compares the port with WordPress's output for every reference
// input: the classic-editor posts of the export and inputs chosen for each step of wpautop().
func TestWpautopMatchesWordPress(t *testing.T) {
	for _, c := range loadWpautopCases(t) {
		if got := wpautop(c.In, true); got != c.Autop {
			t.Errorf("wpautop(%q)\n got %q\nwant %q", c.In, got, c.Autop)
		}
		if got := wpautop(c.In, false); got != c.NoBr {
			t.Errorf("wpautop(%q, false)\n got %q\nwant %q", c.In, got, c.NoBr)
		}
		if got := shortcodeUnautop(c.Autop); got != c.Unautop {
			t.Errorf("shortcode_unautop(%q)\n got %q\nwant %q", c.Autop, got, c.Unautop)
		}
	}
}
