package config

import (
	"flag"
	"io"
	"strings"
	"testing"
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
