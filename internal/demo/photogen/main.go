// Command photogen makes the demo site's photographs in internal/demo/content/photos. It crops,
// scales and re-encodes photographs shipped by Debian packages (see debian.go), and draws the
// illustrations the project makes itself (charts, maps, rendered scenes). Every output is
// 1600×1067 (3:2) JPEG without metadata, and the same inputs give the same files.
//
//	go run ./internal/demo/photogen                 # everything; Debian packages installed under /
//	go run ./internal/demo/photogen -root /tmp/pkgs # packages unpacked with dpkg-deb -x into /tmp/pkgs
//	go run ./internal/demo/photogen -only pool,solar-output
//
// The Debian packages used are listed in content/photos/SOURCES.md.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Size of every output image.
const (
	outW = 1600
	outH = 1067
)

// job makes one output file, name.jpg.
type job struct {
	name    string
	quality int
	make    func(root string) (image.Image, error)
}

func jobs() []job {
	js := debianJobs()
	for _, d := range drawings {
		js = append(js, job{name: d.name, quality: d.quality, make: d.make})
	}
	return js
}

func main() {
	out := flag.String("out", "internal/demo/content/photos", "directory to write the JPEG files to")
	root := flag.String("root", "/", "directory the Debian packages are installed or unpacked under")
	only := flag.String("only", "", "comma-separated names to make (default: all)")
	flag.Parse()
	want := map[string]bool{}
	for _, n := range strings.Split(*only, ",") {
		if n = strings.TrimSpace(n); n != "" {
			want[n] = true
		}
	}
	var names []string
	for _, j := range jobs() {
		names = append(names, j.name)
	}
	for n := range want {
		if slices.Contains(names, n) {
			continue
		}
		fmt.Fprintf(os.Stderr, "photogen: no image named %q (have %s)\n", n, strings.Join(slices.Sorted(slices.Values(names)), ", "))
		os.Exit(2)
	}
	for _, j := range jobs() {
		if len(want) > 0 && !want[j.name] {
			continue
		}
		if err := run(j, *root, *out); err != nil {
			fmt.Fprintln(os.Stderr, "photogen:", err)
			os.Exit(1)
		}
	}
}

func run(j job, root, dir string) error {
	m, err := j.make(root)
	if err != nil {
		return fmt.Errorf("%s: %w", j.name, err)
	}
	path := filepath.Join(dir, j.name+".jpg")
	if err := writeJPEG(path, m, j.quality); err != nil {
		return fmt.Errorf("%s: %w", j.name, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	fmt.Printf("%-28s %4d×%d %4d KB\n", j.name+".jpg", m.Bounds().Dx(), m.Bounds().Dy(), (fi.Size()+512)/1024)
	return nil
}

// writeJPEG encodes m with Go's encoder, which writes no EXIF, XMP or comment segments.
func writeJPEG(path string, m image.Image, quality int) (err error) {
	if quality == 0 {
		quality = 80
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	w := bufio.NewWriter(f)
	if err := jpeg.Encode(w, m, &jpeg.Options{Quality: quality}); err != nil {
		return err
	}
	return w.Flush()
}
