package metrics

import (
	"errors"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"gorm.io/gorm"
)

// Operation kinds, the values of the operation label of campusnews_db_query_duration_seconds:
// by how GORM runs a statement, never by its text, so the series stay few.
const (
	OpQuery = "query" // First, Find, Pluck, Count: reads into models
	OpRow   = "row"   // Row, Rows, and Raw(…).Scan: reads by hand
	OpExec  = "exec"  // Create, Update, Delete, Exec: writes
)

// startKey keys, in a statement's settings, when the statement was sent.
type startKey struct{}

// InstrumentDB times every statement db runs, by operation kind, and adds the pool's
// sql.DBStats as gauges (go_sql_*, labelled db_name="campusnews"). Call it once per db, before
// the db is shared.
func (m *Metrics) InstrumentDB(db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return fmt.Errorf("metrics: database pool: %w", err)
	}
	// Each timer wraps only GORM's own step that sends the statement, so hooks and
	// preloads are not counted as query time.
	const before, after = "campusnews:metrics_start", "campusnews:metrics_observe"
	query, row, exec := m.dbDuration.WithLabelValues(OpQuery), m.dbDuration.WithLabelValues(OpRow), m.dbDuration.WithLabelValues(OpExec)
	cb := db.Callback()
	err = errors.Join(
		cb.Query().Before("gorm:query").Register(before, markStart),
		cb.Query().After("gorm:query").Register(after, observeSince(query)),
		cb.Row().Before("gorm:row").Register(before, markStart),
		cb.Row().After("gorm:row").Register(after, observeSince(row)),
		cb.Raw().Before("gorm:raw").Register(before, markStart),
		cb.Raw().After("gorm:raw").Register(after, observeSince(exec)),
		cb.Create().Before("gorm:create").Register(before, markStart),
		cb.Create().After("gorm:create").Register(after, observeSince(exec)),
		cb.Update().Before("gorm:update").Register(before, markStart),
		cb.Update().After("gorm:update").Register(after, observeSince(exec)),
		cb.Delete().Before("gorm:delete").Register(before, markStart),
		cb.Delete().After("gorm:delete").Register(after, observeSince(exec)),
	)
	if err != nil {
		return fmt.Errorf("metrics: database callbacks: %w", err)
	}
	return m.reg.Register(collectors.NewDBStatsCollector(sqlDB, "campusnews"))
}

// markStart notes when the statement is sent.
func markStart(db *gorm.DB) { db.Statement.Settings.Store(startKey{}, time.Now()) }

// observeSince records in obs the time since markStart.
func observeSince(obs prometheus.Observer) func(*gorm.DB) {
	return func(db *gorm.DB) {
		if v, ok := db.Statement.Settings.Load(startKey{}); ok {
			obs.Observe(time.Since(v.(time.Time)).Seconds())
		}
	}
}
