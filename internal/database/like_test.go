package database

import "testing"

func TestEscapeLike(t *testing.T) {
	for in, want := range map[string]string{`50%_off\`: `50\%\_off\\`, "plain": "plain", "": ""} {
		if got := EscapeLike(in); got != want {
			t.Errorf("EscapeLike(%q) = %q, want %q", in, got, want)
		}
	}
}
