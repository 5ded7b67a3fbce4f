package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"campusnews/internal/database"
)

// A backup taken while staff keep saving is intact and holds every save acknowledged before
// it started; restoring it as the README says brings those articles back on their pages.
func TestBackupWhileWritingAndRestore(t *testing.T) {
	dir := seededData(t, "editor@example.edu")
	cat := firstCategory(t, dir)
	srv := startServer(t, dir)
	cl, err := newStaffClient(srv.base, "editor@example.edu")
	if err != nil {
		t.Fatal(err)
	}
	acks := newAckLog()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wg := writeUntil(ctx, cl, cat.ID, 3, "backup", acks)
	waitFor(t, 120*time.Second, "20 acknowledged saves", func() bool { return acks.count() >= 20 || len(acks.errors()) > 0 })

	before := acks.snapshot()
	backup := filepath.Join(t.TempDir(), "backups", "news.db")
	out := runCmd(t, "", "backup", backup, "--data", dir)
	during := acks.count() - len(before)
	// Writing went on after the backup, too.
	n := acks.count()
	waitFor(t, 120*time.Second, "saves after the backup", func() bool { return acks.count() >= n+5 || len(acks.errors()) > 0 })
	cancel()
	wg.Wait()
	for _, err := range acks.errors() {
		t.Errorf("save: %v", err)
	}
	if !strings.Contains(out, "backed up") {
		t.Errorf("backup said %q", out)
	}
	checkDatabase(t, backup, before)
	all := acks.snapshot()
	var later []int64 // acknowledged after the backup's snapshot: not in it
	inBackup := backupIDs(t, backup)
	for id := range all {
		if !inBackup[id] {
			later = append(later, id)
		}
	}
	if len(later) == 0 {
		t.Error("every save is in the backup; the writers did not keep going")
	}
	t.Logf("backup holds %d of %d acknowledged saves (%d were acknowledged while it ran; %d came after its snapshot)", len(all)-len(later), len(all), during, len(later))

	// Restore: stop, replace the database, drop the WAL files, start.
	if code := srv.stop(); code != 0 {
		t.Fatalf("SIGTERM: exit code %d\n%s", code, srv.log())
	}
	db := filepath.Join(dir, "campusnews.db")
	copyFile(t, backup, db)
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(db + suffix); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	srv = startServer(t, dir)
	reader := &http.Client{Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	slugs := articleSlugs(t, backup)
	for id, s := range before {
		if !s.published {
			continue
		}
		url := srv.base + cat.Path + "/" + strconv.FormatInt(id, 10) + "/" + slugs[id]
		resp, err := reader.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), s.title) {
			t.Errorf("restored article %d: status %d at %s", id, resp.StatusCode, url)
		}
	}
	for _, id := range later {
		if !all[id].published {
			continue
		}
		resp, err := reader.Get(srv.base + cat.Path + "/" + strconv.FormatInt(id, 10))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("article %d, saved after the backup, answers %d on the restored site", id, resp.StatusCode)
		}
	}
	if code := srv.stop(); code != 0 {
		t.Errorf("SIGTERM after the restore: exit code %d\n%s", code, srv.log())
	}
}

// backupIDs lists the article ids in the database at path.
func backupIDs(t *testing.T, path string) map[int64]bool {
	t.Helper()
	out := map[int64]bool{}
	for id := range articleSlugs(t, path) {
		out[id] = true
	}
	return out
}

// articleSlugs maps the article ids of the database at path to their slugs.
func articleSlugs(t *testing.T, path string) map[int64]string {
	t.Helper()
	db, err := database.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db) //nolint:errcheck
	rows, err := db.Raw("SELECT id, slug FROM articles").Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var slug string
		if err := rows.Scan(&id, &slug); err != nil {
			t.Fatal(err)
		}
		out[id] = slug
	}
	return out
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// The file name may come before or after the flags, as the README writes it; anything else
// is refused.
func TestBackupArguments(t *testing.T) {
	dir := t.TempDir()
	if _, errOut, err := runUser(t, "", "migrate", "--data", dir); err != nil {
		t.Fatalf("migrate: %v\n%s", err, errOut)
	}
	out := t.TempDir()
	for i, args := range [][]string{
		{"backup", filepath.Join(out, "a.db"), "--data", dir},
		{"backup", "--data", dir, filepath.Join(out, "b.db")},
	} {
		if _, errOut, err := runUser(t, "", args...); err != nil {
			t.Errorf("%d %v: %v\n%s", i, args, err, errOut)
		}
	}
	for _, name := range []string{"a.db", "b.db"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("backup %s: %v", name, err)
		}
	}
	for _, args := range [][]string{
		{"backup", "--data", dir},
		{"backup", filepath.Join(out, "c.db"), filepath.Join(out, "d.db"), "--data", dir},
		{"backup", filepath.Join(out, "a.db"), "--data", dir}, // exists already
	} {
		if _, _, err := runUser(t, "", args...); err == nil {
			t.Errorf("%v succeeded", args)
		}
	}
}
