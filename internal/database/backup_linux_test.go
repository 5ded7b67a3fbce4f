//go:build linux

package database

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"unsafe"
)

// The backup holds password hashes: no one else may read it at any moment, not only once it
// is complete. inotify tells the test the instant the file is created, while SQLite still
// writes to it, and the test looks at its mode then.
func TestBackupIsNeverReadableByOthers(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(filepath.Join(dir, "live.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer Close(db)
	if _, err := Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	// Enough to copy that the copy takes a while after the file appears.
	if err := db.Exec(`CREATE TABLE filler (x TEXT)`).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
		INSERT INTO filler SELECT printf('%.500c', 'x') FROM n`).Error; err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "backups")
	if err := os.MkdirAll(out, 0o750); err != nil {
		t.Fatal(err)
	}
	fd, err := syscall.InotifyInit1(syscall.IN_CLOEXEC)
	if err != nil {
		t.Skip("no inotify:", err)
	}
	defer syscall.Close(fd)
	if _, err := syscall.InotifyAddWatch(fd, out, syscall.IN_CREATE); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(out, "copy.db")
	seen := make(chan string, 1)
	go func() {
		var buf [4096]byte
		for {
			n, err := syscall.Read(fd, buf[:])
			if err != nil || n < syscall.SizeofInotifyEvent {
				seen <- fmt.Sprint("inotify: ", err)
				return
			}
			ev := (*syscall.InotifyEvent)(unsafe.Pointer(&buf[0]))
			name := string(buf[syscall.SizeofInotifyEvent : syscall.SizeofInotifyEvent+int(ev.Len)])
			if filepath.Join(out, trimNUL(name)) != dest {
				continue
			}
			fi, err := os.Stat(dest)
			if err != nil {
				seen <- err.Error()
				return
			}
			seen <- fi.Mode().Perm().String()
			return
		}
	}()
	if err := Backup(ctx, db, dest); err != nil {
		t.Fatal(err)
	}
	if mode := <-seen; mode != "-rw-------" {
		t.Errorf("when created the backup's mode was %s, want -rw-------", mode)
	}
	fi, err := os.Stat(dest)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the backup's mode: %v %v", fi.Mode(), err)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 1 {
		t.Errorf("the backup directory holds %d files, want the backup only", len(entries))
	}
}

func trimNUL(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return s[:i]
		}
	}
	return s
}
