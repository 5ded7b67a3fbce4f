package web

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestPageCacheStaysWithinBudget(t *testing.T) {
	pc := newPageCache(time.Minute)
	pc.budget = 10_000
	now := time.Now()
	page := func(gen uint64) *cachedPage {
		return &cachedPage{gen: gen, expires: now.Add(time.Minute), modified: now, body: make([]byte, 1000)}
	}
	for i := 0; i < 100; i++ {
		pc.put(fmt.Sprintf("/p%d", i), page(1))
		if pc.bytes > pc.budget {
			t.Fatalf("after %d puts: %d bytes over the budget of %d", i+1, pc.bytes, pc.budget)
		}
		sum := 0
		for _, p := range pc.pages {
			sum += p.size()
		}
		if sum != pc.bytes {
			t.Fatalf("accounting: counted %d, holds %d", pc.bytes, sum)
		}
	}
	if pc.get("/p99", 1, now) == nil {
		t.Error("the newest page was evicted")
	}
	if pc.get("/p99", 2, now) != nil {
		t.Error("a page of an older generation was served")
	}
	pc.put("/p99", page(1)) // replacing a key keeps the count right
	if pc.bytes > pc.budget {
		t.Errorf("replace: %d bytes", pc.bytes)
	}
}

// Parameters no page reads do not make distinct cache entries.
func TestCacheKeyIgnoresUnreadParameters(t *testing.T) {
	env := newDemoEnv(t)
	cl := env.client()
	for i := 0; i < 20; i++ {
		cl.get(fmt.Sprintf("/news-events/news?utm_source=x%d&page=1", i))
	}
	n := 0
	for k := range env.srv.cache.pages {
		if strings.HasPrefix(k, "/news-events/news") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d cache entries for one page", n)
	}
}
