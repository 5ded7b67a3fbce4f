package database

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// The names Dialector.Name() gives each engine.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Engine is the engine behind db: SQLite or Postgres.
func Engine(db *gorm.DB) string { return db.Dialector.Name() }

// IsPostgresURL reports whether s names a PostgreSQL database rather than a SQLite file.
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// DefaultPostgresConns is how many connections one process opens to PostgreSQL at most: enough
// for the requests a web server has in flight at once (each holds a connection for a few
// milliseconds) and the background jobs, and few enough that several instances stay well
// inside the server's max_connections (100 by default). pool_max_conns in the URL changes it.
const DefaultPostgresConns = 16

// OpenURL opens the PostgreSQL database that rawURL (postgres://…) names, through pgx. pgx
// prepares each distinct statement once per connection and keeps it (its statement cache), so
// GORM's own statement preparing stays off. Sessions run in UTC and times come back in UTC,
// as they do from SQLite. Errors never show the password.
func OpenURL(ctx context.Context, rawURL string) (*gorm.DB, error) {
	if !IsPostgresURL(rawURL) {
		return nil, errors.New("database: not a postgres:// URL")
	}
	dsn, maxConns, err := poolSize(rawURL)
	if err != nil {
		return nil, err
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// pgx hides the password in its parse errors.
		return nil, fmt.Errorf("database: %w", err)
	}
	if _, ok := cfg.RuntimeParams["timezone"]; !ok {
		cfg.RuntimeParams["timezone"] = "UTC"
	}
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		cfg.RuntimeParams["application_name"] = "campusnews"
	}
	// A statement whose context ends (a search past its budget, a request gone away) is
	// cancelled on the server, and the connection goes back to the pool. pgx's default only
	// breaks the connection off, leaving the server to run the statement to its end.
	cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, DeadlineDelay: 5 * time.Second}
	}
	sqlDB := stdlib.OpenDB(*cfg, stdlib.OptionAfterConnect(func(_ context.Context, c *pgx.Conn) error {
		// pgx gives timestamptz values in the machine's local zone; the code expects UTC.
		c.TypeMap().RegisterType(&pgtype.Type{Name: "timestamptz", OID: pgtype.TimestamptzOID,
			Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC}})
		return nil
	}))
	sqlDB.SetMaxOpenConns(maxConns)
	sqlDB.SetMaxIdleConns(maxConns)
	// Connections are renewed now and then, so that after a failover or a change behind a
	// connection pooler the pool moves over by itself.
	sqlDB.SetConnMaxLifetime(30 * time.Minute)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	where := fmt.Sprintf("PostgreSQL database %s as %s on %s:%d", cfg.Database, cfg.User, cfg.Host, cfg.Port)
	db, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC().Truncate(time.Second) },
	})
	if err != nil {
		sqlDB.Close() //nolint:errcheck // already failing
		return nil, fmt.Errorf("database: open %s: %w", where, err)
	}
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pctx); err != nil {
		sqlDB.Close() //nolint:errcheck // already failing
		return nil, fmt.Errorf("database: connect to %s: %w", where, err)
	}
	return db, nil
}

// poolSize takes pool_max_conns (pgxpool's name for it) out of the URL, since the server
// would refuse it as an unknown setting, and returns it with the URL left.
func poolSize(rawURL string) (string, int, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", 0, errors.New("database: the PostgreSQL URL does not parse (are special characters in the password percent-encoded?)")
	}
	q := u.Query()
	if !q.Has("pool_max_conns") {
		return rawURL, DefaultPostgresConns, nil
	}
	n, err := strconv.Atoi(q.Get("pool_max_conns"))
	if err != nil || n < 1 {
		return "", 0, errors.New("database: pool_max_conns must be a positive number")
	}
	q.Del("pool_max_conns")
	u.RawQuery = q.Encode()
	return u.String(), n, nil
}

// IsUniqueViolation reports whether err is a unique constraint refusing a row, on either
// engine.
func IsUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// IsForeignKeyViolation reports whether err is a foreign key refusing a change, on either
// engine.
func IsForeignKeyViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23503"
	}
	return err != nil && strings.Contains(err.Error(), "FOREIGN KEY constraint failed")
}
