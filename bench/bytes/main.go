// Command bytes serves one file from memory with nothing but net/http, gzipped when the client
// accepts it: the most any Go server can do for a page on this machine, the reference
// make bench compares campusnews with besides nginx.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"log"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18082", "listen address")
	file := flag.String("file", "", "file to serve")
	flag.Parse()
	// The same scheduler setting campusnews serve uses, so the comparison is of the code.
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(2 * runtime.NumCPU())
	}
	body, err := os.ReadFile(*file)
	if err != nil {
		log.Fatal(err)
	}
	var z bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	zw.Write(body) //nolint:errcheck // to memory
	zw.Close()     //nolint:errcheck
	gz := z.Bytes()
	ctype := []string{"text/html; charset=utf-8"}
	plainLen, gzLen := []string{strconv.Itoa(len(body))}, []string{strconv.Itoa(len(gz))}
	enc := []string{"gzip"}
	log.Fatal(http.ListenAndServe(*addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Type"] = ctype
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			h["Content-Encoding"] = enc
			h["Content-Length"] = gzLen
			w.Write(gz) //nolint:errcheck // the client left
			return
		}
		h["Content-Length"] = plainLen
		w.Write(body) //nolint:errcheck // the client left
	})))
}
