package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"campusnews/internal/media/testimage"
)

// upload posts the media library's upload form with data as the file.
func (cl *staffClient) upload(name string, data []byte) (int, string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("_csrf", cl.token)
	_ = mw.WriteField("alt", "A test image")
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		return 0, "", err
	}
	_, _ = fw.Write(data)
	if err := mw.Close(); err != nil {
		return 0, "", err
	}
	resp, err := cl.c.Post(cl.base+"/editor/media", mw.FormDataContentType(), &buf)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// memoryKB reads a field such as VmHWM (the peak resident set) of process pid, in kB.
func memoryKB(t *testing.T, pid int, field string) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}

// resetPeak makes the process's peak resident set its current one (Linux's clear_refs 5).
func resetPeak(t *testing.T, pid int) {
	t.Helper()
	if err := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0); err != nil {
		t.Skipf("cannot reset the peak resident set: %v", err)
	}
}

// uploadAll uploads each file at once and returns the statuses, the bodies and how long the
// last took.
func uploadAll(t *testing.T, cl *staffClient, files ...[]byte) ([]int, []string, time.Duration) {
	t.Helper()
	statuses, bodies := make([]int, len(files)), make([]string, len(files))
	errs := make([]error, len(files))
	start := time.Now()
	var wg sync.WaitGroup
	for i, data := range files {
		wg.Go(func() { statuses[i], bodies[i], errs[i] = cl.upload("image.png", data) })
	}
	wg.Wait()
	took := time.Since(start)
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return statuses, bodies, took
}

// The server's memory stays bounded while it is sent images that decode to far more than it
// holds: three 6324×6324 PNGs of 16 bits a channel at once (320 MB each once decoded; the
// 40-megapixel limit let them through, and three took 2 GB), and then three large images that
// are within the budget, which the server processes in turn.
func TestImageUploadsKeepMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("uploads large images to the real binary")
	}
	dir := t.TempDir()
	email := "editor@example.edu"
	runCmd(t, staffPassword+"\n", "user", "add", "--email", email, "--name", "Editor", "--role", "editor", "--data", dir)
	srv := startServer(t, dir)
	pid := srv.cmd.Process.Pid
	cl, err := newStaffClient(srv.base, email)
	if err != nil {
		t.Fatal(err)
	}
	deep := testimage.FlatPNG(6324, 6324, 16)
	large := testimage.FlatPNG(5000, 5000, 8)
	if status, body, err := cl.upload("warm.png", testimage.FlatPNG(800, 600, 8)); err != nil || status != http.StatusSeeOther {
		t.Fatalf("warm-up upload: %d %v\n%.500s", status, err, body)
	}

	measure := func(what string, want int, files ...[]byte) int64 {
		t.Helper()
		rss := memoryKB(t, pid, "VmRSS")
		resetPeak(t, pid)
		statuses, bodies, took := uploadAll(t, cl, files...)
		rise := memoryKB(t, pid, "VmHWM") - rss
		t.Logf("%-40s %6.2f s, peak RSS %4d MB above the %d MB before", what, took.Seconds(), rise>>10, rss>>10)
		for i, s := range statuses {
			if s != want {
				t.Errorf("%s: upload %d answered %d, want %d\n%.600s", what, i, s, want, bodies[i])
			}
		}
		return rise
	}
	if rise := measure("one 6324×6324 16-bit PNG", http.StatusUnprocessableEntity, deep); rise > 300<<10 {
		t.Errorf("RSS rose by %d MB", rise>>10)
	}
	if rise := measure("three 6324×6324 16-bit PNGs at once", http.StatusUnprocessableEntity, deep, deep, deep); rise > 300<<10 {
		t.Errorf("RSS rose by %d MB, want under 300 MB", rise>>10)
	}
	if _, bodies, _ := uploadAll(t, cl, deep); !strings.Contains(bodies[0], "the limit is 192 MB") {
		t.Errorf("the refusal does not name the limit:\n%.2000s", bodies[0])
	}
	if rise := measure("three 5000×5000 8-bit PNGs at once", http.StatusSeeOther, large, large, large); rise > 300<<10 {
		t.Errorf("RSS rose by %d MB, want under 300 MB", rise>>10)
	}
}
