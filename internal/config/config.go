// Package config holds the settings of campusnews, read from flags and CAMPUSNEWS_* variables.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is every setting the binary understands. Build it with Register and check it with Validate.
type Config struct {
	Addr          string        // listen address
	Data          string        // directory holding the SQLite file (without Database), uploads and the session key
	Database      string        // a postgres:// URL selects PostgreSQL; empty is SQLite in Data
	BaseURL       string        // public URL used in feeds, sitemap and canonical links
	SessionKey    string        // secret for session cookies; generated and kept in Data when empty
	SecureCookies bool          // mark cookies Secure (set when served over TLS or behind an HTTPS proxy)
	Dev           bool          // read templates and assets from disk
	MaxUpload     int64         // largest accepted upload in bytes
	CacheTTL      time.Duration // how long an anonymous page may be served from memory
	LogRequests   bool          // one log line per request
	LogFormat     string        // "text" (slog's key=value lines) or "json" (one JSON object a line)
	// MetricsAddr is where a second listener serves /metrics for Prometheus; empty: no metrics.
	MetricsAddr string
	// ShutdownDelay is how long serve goes on answering, with /healthz at 503, after it is
	// told to stop, so that a load balancer's health check takes it out first.
	ShutdownDelay time.Duration
	// TrustedProxies are reverse proxies whose X-Forwarded-For header names the client.
	TrustedProxies []*net.IPNet

	envErr error // a variable that could not be read, reported by Validate
}

// setTrustedProxies parses a list such as "127.0.0.1, 10.0.0.0/8".
func (c *Config) setTrustedProxies(list string) error {
	c.TrustedProxies = nil
	for _, part := range strings.Split(list, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			if ip := net.ParseIP(part); ip != nil && ip.To4() != nil {
				part += "/32"
			} else {
				part += "/128"
			}
		}
		_, n, err := net.ParseCIDR(part)
		if err != nil {
			return fmt.Errorf("config: trusted proxy %q: %w", part, err)
		}
		c.TrustedProxies = append(c.TrustedProxies, n)
	}
	return nil
}

// DBPath is the SQLite file inside the data directory.
func (c Config) DBPath() string { return filepath.Join(c.Data, "campusnews.db") }

// IsPostgresURL reports whether s names a PostgreSQL database.
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Postgres reports whether the site's database is PostgreSQL rather than SQLite in Data.
func (c Config) Postgres() bool { return IsPostgresURL(c.Database) }

// DatabaseLabel names the database for messages and logs: the SQLite file, or the PostgreSQL
// URL with its password hidden.
func (c Config) DatabaseLabel() string {
	if !c.Postgres() {
		return c.DBPath()
	}
	return RedactURL(c.Database)
}

// RedactURL is a database URL fit for a log line: a password, whether in the user part or a
// password= parameter, is replaced by xxxxx; a URL that does not parse is withheld whole.
func RedactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unreadable database URL)"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// MediaDir is where uploaded images live.
func (c Config) MediaDir() string { return filepath.Join(c.Data, "media") }

// Register adds the common flags to fs, with defaults taken from the environment.
func Register(fs *flag.FlagSet) *Config {
	c := &Config{}
	fs.StringVar(&c.Addr, "addr", env("ADDR", "127.0.0.1:8080"), "listen address (CAMPUSNEWS_ADDR)")
	fs.StringVar(&c.Data, "data", env("DATA", "./data"), "data directory for the SQLite database, uploads and the session key (CAMPUSNEWS_DATA)")
	c.Database = env("DATABASE", "")
	fs.Var(databaseFlag{&c.Database}, "database", "postgres://user:password@host/db to use PostgreSQL; empty for SQLite in the data directory (CAMPUSNEWS_DATABASE)")
	fs.StringVar(&c.BaseURL, "base-url", env("BASE_URL", ""), "public base URL, e.g. https://news.example.edu (CAMPUSNEWS_BASE_URL; default http://ADDR)")
	fs.StringVar(&c.SessionKey, "session-key", env("SESSION_KEY", ""), "session secret, at least 32 characters (CAMPUSNEWS_SESSION_KEY; generated and kept in the data directory when empty)")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", envBool("SECURE_COOKIES", false), "mark cookies Secure; implied by an https base URL (CAMPUSNEWS_SECURE_COOKIES)")
	fs.BoolVar(&c.Dev, "dev", envBool("DEV", false), "read templates and assets from disk (CAMPUSNEWS_DEV)")
	fs.Int64Var(&c.MaxUpload, "max-upload", envInt("MAX_UPLOAD", 10<<20), "largest accepted upload in bytes (CAMPUSNEWS_MAX_UPLOAD)")
	fs.DurationVar(&c.CacheTTL, "cache-ttl", envDuration("CACHE_TTL", 10*time.Second), "how long a public page is served from memory; 0 turns the cache off (CAMPUSNEWS_CACHE_TTL)")
	fs.BoolVar(&c.LogRequests, "log-requests", envBool("LOG_REQUESTS", true), "log one line per request (CAMPUSNEWS_LOG_REQUESTS)")
	fs.StringVar(&c.LogFormat, "log-format", env("LOG_FORMAT", "text"), "log lines as text (key=value) or json (CAMPUSNEWS_LOG_FORMAT)")
	fs.Func("trusted-proxies", "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For header names the client (CAMPUSNEWS_TRUSTED_PROXIES)",
		c.setTrustedProxies)
	if v := env("TRUSTED_PROXIES", ""); v != "" {
		c.envErr = c.setTrustedProxies(v)
	}
	return c
}

// RegisterServe adds to fs the settings only serve uses.
func (c *Config) RegisterServe(fs *flag.FlagSet) {
	fs.StringVar(&c.MetricsAddr, "metrics-addr", env("METRICS_ADDR", ""),
		"address of a second listener serving Prometheus metrics at /metrics, e.g. 127.0.0.1:9090; keep it private (CAMPUSNEWS_METRICS_ADDR; default off)")
	fs.DurationVar(&c.ShutdownDelay, "shutdown-delay", envDuration("SHUTDOWN_DELAY", 0),
		"on SIGTERM, go on serving this long with /healthz answering 503 before closing, so a load balancer's health check takes the instance out first (CAMPUSNEWS_SHUTDOWN_DELAY)")
}

// Validate fails fast on settings that cannot work and fills derived defaults.
func (c *Config) Validate() error {
	var errs []error
	if c.envErr != nil {
		errs = append(errs, c.envErr)
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("config: --addr %q: %w", c.Addr, err))
	}
	if strings.TrimSpace(c.Data) == "" {
		errs = append(errs, errors.New("config: --data must not be empty"))
	}
	if err := c.validateDatabase(); err != nil {
		errs = append(errs, err)
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Addr
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if !strings.HasPrefix(c.BaseURL, "http://") && !strings.HasPrefix(c.BaseURL, "https://") {
		errs = append(errs, fmt.Errorf("config: --base-url %q must start with http:// or https://", c.BaseURL))
	}
	if strings.HasPrefix(c.BaseURL, "https://") {
		c.SecureCookies = true
	}
	if c.SessionKey != "" && len(c.SessionKey) < 32 {
		errs = append(errs, errors.New("config: --session-key must be at least 32 characters"))
	}
	if c.MaxUpload <= 0 {
		errs = append(errs, errors.New("config: --max-upload must be positive"))
	}
	if c.CacheTTL < 0 {
		errs = append(errs, errors.New("config: --cache-ttl must not be negative"))
	}
	if c.ShutdownDelay < 0 {
		errs = append(errs, errors.New("config: --shutdown-delay must not be negative"))
	}
	if c.MetricsAddr != "" {
		if _, port, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			errs = append(errs, fmt.Errorf("config: --metrics-addr %q: %w", c.MetricsAddr, err))
		} else if c.MetricsAddr == c.Addr && port != "0" {
			errs = append(errs, errors.New("config: --metrics-addr must differ from --addr: metrics are not for the public"))
		}
	}
	switch c.LogFormat = strings.ToLower(strings.TrimSpace(c.LogFormat)); c.LogFormat {
	case "":
		c.LogFormat = "text"
	case "text", "json":
	default:
		errs = append(errs, fmt.Errorf("config: --log-format %q must be text or json", c.LogFormat))
	}
	return errors.Join(errs...)
}

// databaseFlag holds --database; it shows itself (as the default in -h) without a password.
type databaseFlag struct{ p *string }

func (d databaseFlag) String() string {
	if d.p == nil || *d.p == "" {
		return ""
	}
	return RedactURL(*d.p)
}

func (d databaseFlag) Set(s string) error { *d.p = s; return nil }

// validateDatabase accepts no URL (SQLite) or a PostgreSQL URL. Anything else is refused
// rather than read as SQLite: a mistyped URL must not start the site on an empty file. No
// message repeats the URL, which may hold a password.
func (c *Config) validateDatabase() error {
	c.Database = strings.TrimSpace(c.Database)
	if c.Database == "" {
		return nil
	}
	if !c.Postgres() {
		return errors.New("config: --database must be a postgres:// or postgresql:// URL, or empty for SQLite in --data")
	}
	u, err := url.Parse(c.Database)
	if err != nil {
		return errors.New("config: --database is not a valid URL (check that special characters in the password are percent-encoded)")
	}
	if strings.Trim(u.Path, "/") == "" && !u.Query().Has("dbname") {
		return errors.New("config: --database must name the database, e.g. postgres://campusnews@db.example.edu/campusnews")
	}
	return nil
}

func env(name, def string) string {
	if v, ok := os.LookupEnv("CAMPUSNEWS_" + name); ok {
		return v
	}
	return def
}

func envBool(name string, def bool) bool {
	if v, err := strconv.ParseBool(env(name, "")); err == nil {
		return v
	}
	return def
}

func envInt(name string, def int64) int64 {
	if v, err := strconv.ParseInt(env(name, ""), 10, 64); err == nil {
		return v
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(env(name, "")); err == nil {
		return v
	}
	return def
}
