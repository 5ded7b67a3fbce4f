// Command bytes serves one page from memory with nothing but net/http: the same bytes and the
// same headers campusnews sent for it, identity or gzip as the client asks. It is the fair
// ceiling make bench compares campusnews with: whatever it does faster, a Go server cannot.
package main

import (
	"bufio"
	"flag"
	"log"
	"net/http"
	"net/textproto"
	"os"
	"strings"
)

// response is a recorded answer: its headers as sent and its body.
type response struct {
	header http.Header
	body   []byte
}

// load reads a header file as curl -D writes it and the body file beside it.
func load(headers, body string) response {
	b, err := os.ReadFile(body)
	if err != nil {
		log.Fatal(err)
	}
	f, err := os.Open(headers)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	r := textproto.NewReader(bufio.NewReader(f))
	if _, err := r.ReadLine(); err != nil { // the status line
		log.Fatal(err)
	}
	h, err := r.ReadMIMEHeader()
	if err != nil {
		log.Fatal(err)
	}
	// net/http writes these itself.
	for _, k := range []string{"Date", "Connection", "Keep-Alive"} {
		delete(h, k)
	}
	return response{header: http.Header(h), body: b}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:18082", "listen address")
	plainHeaders := flag.String("plain-headers", "", "headers of the identity answer (curl -D)")
	plainBody := flag.String("plain-body", "", "body of the identity answer")
	gzipHeaders := flag.String("gzip-headers", "", "headers of the gzip answer (curl -D)")
	gzipBody := flag.String("gzip-body", "", "body of the gzip answer")
	flag.Parse()
	plain, gz := load(*plainHeaders, *plainBody), load(*gzipHeaders, *gzipBody)
	log.Fatal(http.ListenAndServe(*addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		resp := plain
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			resp = gz
		}
		h := w.Header()
		for k, v := range resp.header {
			h[k] = v
		}
		w.Write(resp.body) //nolint:errcheck // the client left
	})))
}
