package portal

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver for PostgreSQL
)

// openPostgres opens a PostgreSQL database for a chain that outgrows one SQLite file. The
// schema is the same; the version lives in the one-row table portal_schema, made by the first
// migration step under the advisory lock (see migrateStep).
func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db.SetMaxOpenConns(16)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{db: &dbConn{DB: db, pg: true}, path: redactDSN(dsn), now: time.Now}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// redactDSN keeps the password out of error messages and logs.
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres database"
	}
	return u.Redacted()
}
