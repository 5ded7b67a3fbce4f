// Command writers is the newsroom of make bench's mixed load: editors who log in and publish
// articles at a steady rate through the real article form, each publish changing what readers
// see, while wrk measures the readers.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// editor is one signed-in browser.
type editor struct {
	base string
	c    *http.Client
}

func newEditor(base, email, password string) (*editor, error) {
	jar, _ := cookiejar.New(nil)
	e := &editor{base: base, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	token, err := e.token("/login")
	if err != nil {
		return nil, err
	}
	resp, err := e.c.PostForm(base+"/login", url.Values{"_csrf": {token}, "email": {email}, "password": {password}})
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("log in as %s: status %d", email, resp.StatusCode)
	}
	return e, nil
}

// token reads the CSRF token of the form at path.
func (e *editor) token(path string) (string, error) {
	resp, err := e.c.Get(e.base + path)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	m := csrfField.FindSubmatch(b)
	if m == nil {
		return "", fmt.Errorf("GET %s: status %d, no form token", path, resp.StatusCode)
	}
	return string(m[1]), nil
}

// categoryID finds the category called name in the article form's choice of categories.
func (e *editor) categoryID(name string) (string, error) {
	resp, err := e.c.Get(e.base + "/editor/articles/new")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	m := regexp.MustCompile(`<option value="(\d+)"[^>]*>` + regexp.QuoteMeta(name) + `</option>`).FindSubmatch(b)
	if m == nil {
		return "", fmt.Errorf("no category %q in the article form", name)
	}
	return string(m[1]), nil
}

// publish writes and publishes one article in category.
func (e *editor) publish(category, title string) error {
	token, err := e.token("/editor/articles/new")
	if err != nil {
		return err
	}
	resp, err := e.c.PostForm(e.base+"/editor/articles/new", url.Values{
		"_csrf": {token}, "title": {title}, "category_id": {category}, "action": {"publish"},
		"summary":     {"Published while readers read, to measure what a busy newsroom costs them."},
		"body_source": {"A paragraph of news.\n\nAnother paragraph, with **some** emphasis and a [link](/)."},
		"tags":        {"Research, Students"},
	})
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("publish %q: status %d", title, resp.StatusCode)
	}
	return nil
}

func main() {
	base := flag.String("base", "http://127.0.0.1:18080", "site address")
	emails := flag.String("editors", "", "comma-separated e-mail addresses of the editors")
	password := flag.String("password", "", "their password")
	categoryName := flag.String("category-name", "News", "name of the category to publish in")
	rate := flag.Float64("rate", 2, "articles each editor publishes a second")
	duration := flag.Duration("duration", 10*time.Second, "how long to publish")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()

	var eds []*editor
	for _, email := range strings.Split(*emails, ",") {
		e, err := newEditor(*base, strings.TrimSpace(email), *password)
		if err != nil {
			log.Fatal(err)
		}
		eds = append(eds, e)
	}
	cat, err := eds[0].categoryID(*categoryName)
	if err != nil {
		log.Fatal(err)
	}
	category := &cat
	var published, failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for i, e := range eds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(time.Duration(float64(time.Second) / *rate))
			defer t.Stop()
			for n := 0; ; n++ {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
				err := e.publish(*category, fmt.Sprintf("Bench story %d of editor %d at %d", n, i, time.Now().UnixNano()))
				switch {
				case err == nil:
					published.Add(1)
				case errors.Is(err, context.DeadlineExceeded):
				default:
					failed.Add(1)
					log.Print(err)
				}
			}
		}()
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	fmt.Printf("%d published (%.1f a second), %d failed\n", published.Load(), float64(published.Load())/secs, failed.Load())
	if failed.Load() > 0 {
		os.Exit(1)
	}
}
