package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"campusnews/internal/database"
	"campusnews/internal/importer"
)

// The WordPress test export and its uploads (internal/wordpress/testdata/README.md).
const (
	wpExport  = "../../internal/wordpress/testdata/export.xml"
	wpUploads = "../../internal/wordpress/testdata/uploads"
)

// runImport runs the command in process; it returns stdout, stderr and the error.
func runImport(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), append([]string{"import", "wordpress"}, args...), strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), err
}

func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	// Flags after the file, as the usage shows them.
	out, progress, err := runImport(t, wpExport, "--uploads", wpUploads, "--data", dir)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, progress)
	}
	for _, want := range []string{
		"Imported wordpress news.example.edu (export.xml, WXR 1.2) into /news in ",
		"Posts: 35 in the export; 34 imported (34 new, 0 updated, 0 unchanged), 0 failed, 1 skipped.",
		"   26 publish                      → published",
		"    2 future                       → scheduled: at its date in WordPress",
		"    1 trashed posts                skipped: deleted in WordPress",
		"Pages: 5 skipped",
		"15 images stored",
		"News › Research › Physics → /news/physics",
		"Old addresses: 62",
		"2023/05/campus-map.jpg ×2: missing from the uploads directory",
		"[su_button] ×2",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	// Not a terminal: plain lines, each step from its start to its end.
	for _, want := range []string{"reading: 100% (157 KB of 157 KB)\n", "preparing: 100% (157 KB of 157 KB)\n", "writing: 34 of 34 posts\n"} {
		if !strings.Contains(progress, want) {
			t.Errorf("the progress lacks %q:\n%s", want, progress)
		}
	}
	if strings.Contains(progress, "\r") || strings.Count(progress, "\n") > 20 {
		t.Errorf("progress for a log:\n%q", progress)
	}

	out, _, err = runImport(t, "--data", dir, "--uploads", wpUploads, wpExport)
	if err != nil || !strings.Contains(out, "34 imported (0 new, 0 updated, 34 unchanged)") ||
		!strings.Contains(out, "0 images stored, 15 already stored") {
		t.Errorf("again: %v\n%s", err, out)
	}
}

// A truncated export: an error naming the line, and nothing imported.
func TestImportCommandTruncated(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(wpExport)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "export.xml")
	if err := os.WriteFile(file, data[:len(data)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err = runImport(t, file, "--uploads", wpUploads, "--data", dir)
	if err == nil || !strings.HasPrefix(err.Error(), "import wordpress: export.xml: line ") ||
		!strings.HasSuffix(err.Error(), "(nothing was imported)") {
		t.Fatalf("error %v", err)
	}
	db := openData(t, dir)
	defer database.Close(db) //nolint:errcheck
	var n int64
	db.Raw("SELECT (SELECT COUNT(*) FROM articles) + (SELECT COUNT(*) FROM media) + (SELECT COUNT(*) FROM categories)").Scan(&n)
	if n != 0 {
		t.Errorf("%d rows imported", n)
	}

	for _, args := range [][]string{{}, {"export.xml", "extra"}, {"missing.xml"}} {
		if _, _, err := runImport(t, append(args, "--data", dir)...); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
	if _, _, err := runImport(t, wpExport, "--uploads", "nowhere", "--data", dir); err == nil || !strings.Contains(err.Error(), "--uploads") {
		t.Errorf("uploads missing: %v", err)
	}
}

// On a terminal the bar is drawn again in place, and each step ends its line.
func TestProgressBarOnTerminal(t *testing.T) {
	var b bytes.Buffer
	p := &progressBar{w: &b, tty: true}
	p.update(importer.Progress{Step: "reading", Done: 0, Total: 4096, Unit: "bytes"})
	p.update(importer.Progress{Step: "reading", Done: 4096, Total: 4096, Unit: "bytes"})
	p.update(importer.Progress{Step: "writing", Done: 1, Total: 2, Unit: "posts"})
	p.update(importer.Progress{Step: "writing", Done: 2, Total: 2, Unit: "posts"})
	p.finish()
	want := "\rreading    [                              ]   0% (0 KB of 4 KB)" +
		"\rreading    [##############################] 100% (4 KB of 4 KB)\n" +
		"\rwriting    [###############               ] 1 of 2 posts" +
		"\rwriting    [##############################] 2 of 2 posts\n"
	if b.String() != want {
		t.Errorf("terminal:\n%q\nwant\n%q", b.String(), want)
	}
}

// The real binary: an import, then the old addresses through the server; a broken export
// exits with a failure and the line.
func TestImportThenServeOldAddresses(t *testing.T) {
	dir := t.TempDir()
	runCmd(t, "", "import", "wordpress", wpExport, "--uploads", wpUploads, "--data", dir)
	srv := startServer(t, dir)
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := cl.Get(srv.base + "/2019/02/physics-laser-lab/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusMovedPermanently || !strings.HasPrefix(loc, "/news/physics/") || !strings.HasSuffix(loc, "/physics-laser-lab") {
		t.Fatalf("old permalink: %d → %q", resp.StatusCode, loc)
	}
	for path, want := range map[string]int{"/?p=4": http.StatusMovedPermanently, loc: http.StatusOK, "/?p=45": http.StatusNotFound} {
		resp, err := cl.Get(srv.base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want || want == http.StatusMovedPermanently && resp.Header.Get("Location") != loc {
			t.Errorf("%s: %d %q", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	if code := srv.stop(); code != 0 {
		t.Errorf("serve exited with %d", code)
	}

	broken := filepath.Join(t.TempDir(), "broken.xml")
	data, _ := os.ReadFile(wpExport)
	os.WriteFile(broken, bytes.Replace(data, []byte("</wp:post_id>"), []byte("</wp:postid>"), 1), 0o600)
	cmd := exec.Command(campusnewsBinary(t), "import", "wordpress", broken, "--data", t.TempDir())
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(string(out), "campusnews: import wordpress: broken.xml: line ") {
		t.Errorf("broken export: %v\n%s", err, out)
	}
}
