package config

import (
	"flag"
	"io"
	"strings"
	"testing"
	"time"
)

func parse(t *testing.T, args ...string) (*Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c := Register(fs)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	return c, c.Validate()
}

func TestDefaultsAreUsable(t *testing.T) {
	c, err := parse(t)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.Data != "./data" || c.BaseURL != "http://127.0.0.1:8080" || c.SecureCookies ||
		c.LogFormat != "text" {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestEnvironmentAndFlags(t *testing.T) {
	t.Setenv("CAMPUSNEWS_ADDR", "127.0.0.1:9000")
	t.Setenv("CAMPUSNEWS_BASE_URL", "https://news.example.edu/")
	t.Setenv("CAMPUSNEWS_TRUSTED_PROXIES", "10.0.0.1, 192.168.0.0/16")
	t.Setenv("CAMPUSNEWS_LOG_FORMAT", "JSON")
	c, err := parse(t, "--data", "/srv/news")
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9000" || c.Data != "/srv/news" || c.BaseURL != "https://news.example.edu" || c.LogFormat != "json" ||
		!c.SecureCookies || len(c.TrustedProxies) != 2 || c.TrustedProxies[0].String() != "10.0.0.1/32" {
		t.Fatalf("config: %+v", c)
	}
}

func TestValidateRefusesBadSettings(t *testing.T) {
	for _, args := range [][]string{
		{"--addr", "nonsense"},
		{"--base-url", "ftp://x"},
		{"--session-key", "short"},
		{"--max-upload", "0"},
		{"--trusted-proxies", "not-an-ip"},
		{"--log-format", "xml"},
		{"--log-format", "logfmt"},
	} {
		if _, err := parse(t, args...); err == nil {
			t.Errorf("%s accepted", strings.Join(args, " "))
		}
	}
}

func TestDatabaseURLSelectsTheEngine(t *testing.T) {
	c, err := parse(t)
	if err != nil || c.Postgres() || c.DatabaseLabel() != c.DBPath() {
		t.Fatalf("default: postgres %v, label %q, %v", c.Postgres(), c.DatabaseLabel(), err)
	}
	for _, u := range []string{"postgres://news:pw@db.example.edu/campusnews", "postgresql://db.example.edu:5433/campusnews?sslmode=require"} {
		c, err := parse(t, "--database", u)
		if err != nil || !c.Postgres() {
			t.Errorf("%s: postgres %v, %v", u, c.Postgres(), err)
		}
	}
	t.Setenv("CAMPUSNEWS_DATABASE", "postgres://news:pw@db.example.edu/campusnews")
	if c, err := parse(t); err != nil || !c.Postgres() {
		t.Errorf("from the environment: postgres %v, %v", c.Postgres(), err)
	}
	t.Setenv("CAMPUSNEWS_DATABASE", "")
	for _, bad := range []string{"mysql://db/news", "postgre://db/news", "campusnews.db", "postgres://db.example.edu", "postgres://u:p%zz@db/news"} {
		_, err := parse(t, "--database", bad)
		if err == nil {
			t.Errorf("%s accepted", bad)
		} else if strings.Contains(err.Error(), "p%zz") {
			t.Errorf("the error repeats the URL: %v", err)
		}
	}
}

// A password never shows: not in the label used in logs, not as a default in -h.
func TestDatabasePasswordIsNeverShown(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://news:s3cret@db.example.edu/campusnews":             "postgres://news:xxxxx@db.example.edu/campusnews",
		"postgres://news@db.example.edu/campusnews?password=s3cret":    "postgres://news@db.example.edu/campusnews?password=xxxxx",
		"postgres://db.example.edu/campusnews?sslmode=verify-full":     "postgres://db.example.edu/campusnews?sslmode=verify-full",
		"postgres://news:s3cret@/campusnews?host=%2Fvar%2Frun%2Fpgsql": "postgres://news:xxxxx@/campusnews?host=%2Fvar%2Frun%2Fpgsql",
	} {
		if got := (Config{Database: in}).DatabaseLabel(); got != want {
			t.Errorf("label of %s = %s, want %s", in, got, want)
		}
	}
	t.Setenv("CAMPUSNEWS_DATABASE", "postgres://news:s3cret@db.example.edu/campusnews")
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	var help strings.Builder
	fs.SetOutput(&help)
	Register(fs)
	fs.PrintDefaults()
	if !strings.Contains(help.String(), "-database") || strings.Contains(help.String(), "s3cret") {
		t.Errorf("-h shows:\n%s", help.String())
	}
}

func parseServe(t *testing.T, args ...string) (*Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c := Register(fs)
	c.RegisterServe(fs)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	return c, c.Validate()
}

func TestMetricsAddr(t *testing.T) {
	c, err := parseServe(t)
	if err != nil || c.MetricsAddr != "" {
		t.Fatalf("metrics on by default: %q, %v", c.MetricsAddr, err)
	}
	t.Setenv("CAMPUSNEWS_METRICS_ADDR", "127.0.0.1:9090")
	if c, err = parseServe(t); err != nil || c.MetricsAddr != "127.0.0.1:9090" {
		t.Fatalf("from the environment: %q, %v", c.MetricsAddr, err)
	}
	if c, err = parseServe(t, "--metrics-addr", "10.0.0.5:9100"); err != nil || c.MetricsAddr != "10.0.0.5:9100" {
		t.Fatalf("flag over the environment: %q, %v", c.MetricsAddr, err)
	}
	if _, err = parseServe(t, "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0"); err != nil {
		t.Errorf("two free ports refused: %v", err)
	}
	for _, args := range [][]string{
		{"--metrics-addr", "9090"},
		{"--metrics-addr", "localhost"},
		{"--addr", "127.0.0.1:8080", "--metrics-addr", "127.0.0.1:8080"},
	} {
		if _, err := parseServe(t, args...); err == nil {
			t.Errorf("%s accepted", strings.Join(args, " "))
		}
	}
	// Only serve takes it.
	if _, err := parse(t, "--metrics-addr", "127.0.0.1:9090"); err == nil {
		t.Error("a command other than serve took --metrics-addr")
	}
}

func TestShutdownDelay(t *testing.T) {
	c, err := parseServe(t)
	if err != nil || c.ShutdownDelay != 0 {
		t.Fatalf("default: %v, %v", c.ShutdownDelay, err)
	}
	t.Setenv("CAMPUSNEWS_SHUTDOWN_DELAY", "5s")
	if c, err = parseServe(t); err != nil || c.ShutdownDelay != 5*time.Second {
		t.Fatalf("from the environment: %v, %v", c.ShutdownDelay, err)
	}
	if _, err = parseServe(t, "--shutdown-delay", "-1s"); err == nil {
		t.Error("a negative delay accepted")
	}
}
