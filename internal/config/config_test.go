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
