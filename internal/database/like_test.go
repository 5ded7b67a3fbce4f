package database

import (
	"path/filepath"
	"testing"
)

func TestEscapeLike(t *testing.T) {
	for in, want := range map[string]string{`50%_off\`: `50\%\_off\\`, "plain": "plain", "": ""} {
		if got := EscapeLike(in); got != want {
			t.Errorf("EscapeLike(%q) = %q, want %q", in, got, want)
		}
	}
}

// ContainsLike finds text regardless of case beyond A to Z, through a real connection.
func TestContainsLikeFoldsUnicode(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer Close(db)
	if err := db.Exec("CREATE TABLE t (s TEXT)").Error; err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Über die Straße", "ÅRHUS 50% off", "plain Title"} {
		if err := db.Exec("INSERT INTO t VALUES (?)", s).Error; err != nil {
			t.Fatal(err)
		}
	}
	for q, want := range map[string]int64{"über": 1, "ÜBER": 1, "straße": 1, "århus": 1, "50%": 1,
		"title": 1, "TITLE": 1, "%": 1, "ö": 0} {
		cond, arg := ContainsLike("s", q)
		var n int64
		if err := db.Raw("SELECT COUNT(*) FROM t WHERE "+cond, arg).Scan(&n).Error; err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		if n != want {
			t.Errorf("%q matches %d rows, want %d", q, n, want)
		}
	}
}
