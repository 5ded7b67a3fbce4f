package site

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"campusnews/internal/database"
	"campusnews/internal/validate"
)

func TestSettingsSaveAndValidate(t *testing.T) {
	ctx := context.Background()
	db, err := database.Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)
	if _, err := database.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	s := NewService(db)
	st, err := s.Get(ctx)
	if err != nil || st.Name != Defaults.Name || st.Location().String() != "UTC" {
		t.Fatalf("defaults: %+v, %v", st, err)
	}
	st.Name, st.TimeZone, st.Require2FA = "  Campus Herald ", "Europe/Berlin", true
	if err := s.Save(ctx, st); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Get(ctx)
	if got.Name != "Campus Herald" || got.Location().String() != "Europe/Berlin" || !got.Require2FA {
		t.Fatalf("after save: %+v", got)
	}
	// A fresh service reads what was stored.
	if again, _ := NewService(db).Get(ctx); again.Name != "Campus Herald" {
		t.Fatalf("stored name %q", again.Name)
	}
	bad := got
	bad.Name, bad.TimeZone = "", "Mars/Olympus"
	var ve validate.Errors
	if err := s.Save(ctx, bad); !errors.As(err, &ve) || ve["name"] == "" || ve["time_zone"] == "" {
		t.Fatalf("invalid settings: %v", err)
	}
	if cur, _ := s.Get(ctx); cur.Name != "Campus Herald" {
		t.Fatalf("a refused save changed the name to %q", cur.Name)
	}
}
