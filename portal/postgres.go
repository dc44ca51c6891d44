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
// schema is the same; the version lives in the one-row table portal_schema.
func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db.SetMaxOpenConns(16)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{db: &dbConn{DB: db, pg: true}, path: redactDSN(dsn), now: time.Now}
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS portal_schema (version INTEGER NOT NULL);
		INSERT INTO portal_schema (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM portal_schema)`); err != nil {
		db.Close()
		return nil, fmt.Errorf("prepare schema version in %s: %w", s.path, err)
	}
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
