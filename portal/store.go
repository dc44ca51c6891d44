// Package portal is the back office of the till: the store of accounts, sales points, tills,
// payment terminals and synced sales, the till sync API of docs/spec/sync.md, and the
// server-rendered pages where a shop owner does the four Coverflex configuration steps.
//
// Every page and API call is scoped to one account: a handler never reads or changes a row
// without checking that it belongs to the signed-in account or to the till's own sales point.
// Secrets (passwords, device tokens, activation codes, session ids) are kept only as hashes.
package portal

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"till/internal/sqlitefile"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Errors callers branch on. Handlers map them to HTTP statuses.
var (
	ErrNotFound    = errors.New("not found")
	ErrCodeSpent   = errors.New("activation code already used")
	ErrNewerSchema = errors.New("database was written by a newer version of the portal")
)

// ValidationError is a rejected input; Message is text for the person who sent it (Italian on
// the pages, English in the till API where a technician reads it).
type ValidationError struct {
	Field   string
	Message string
}

func (e *ValidationError) Error() string { return e.Field + ": " + e.Message }

// Store is the portal's database. It holds one connection: SQLite has one writer, and with
// immediate transactions on a single connection a read-then-write never fails with SQLITE_BUSY.
type Store struct {
	db   *dbConn
	path string
	now  func() time.Time
}

// Open opens (or creates) the SQLite database at path and brings its schema up to date. A
// postgres:// or postgresql:// URL opens that PostgreSQL database instead, with the same schema.
// The file and its -wal and -shm are readable by the owner only: they hold the accounts.
func Open(ctx context.Context, path string) (*Store, error) {
	if strings.HasPrefix(path, "postgres://") || strings.HasPrefix(path, "postgresql://") {
		return openPostgres(ctx, path)
	}
	db, err := sqlitefile.Open(path)
	if err != nil {
		return nil, err
	}
	s := &Store{db: &dbConn{DB: db}, path: path, now: time.Now}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// Again now that the -wal and -shm exist: one left by an older portal or made by another
	// process before the first chmod is tightened too.
	if err := sqlitefile.OwnerOnly(path); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Path is the file the database lives in.
func (s *Store) Path() string { return s.path }

// SQL exposes the handle so tests can check what was (not) written.
func (s *Store) SQL() *sql.DB { return s.db.DB }

func migrationNames() []string {
	entries, _ := migrationFiles.ReadDir("migrations")
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names
}

// migrate applies the embedded migrations after the schema version, each in one transaction
// together with its new version, so a crash never leaves half a migration. The version is read
// inside that transaction, which holds the write lock (BEGIN IMMEDIATE on SQLite, an advisory
// lock on PostgreSQL): of several processes opening a new database at once, one migrates and
// the others wait for it and then find nothing left to do.
func (s *Store) migrate(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("open %s: %w", s.path, err)
	}
	defer conn.Close()
	if !s.db.pg {
		restore, err := sqlitefile.PrepareMigration(ctx, conn)
		if err != nil {
			return fmt.Errorf("open %s: %w", s.path, err)
		}
		defer restore()
	}
	names := migrationNames()
	for {
		done, err := s.migrateStep(ctx, conn, names)
		if err != nil || done {
			return err
		}
	}
}

// migrateStep applies the migration after the database's version, or says there is none.
func (s *Store) migrateStep(ctx context.Context, conn *sql.Conn, names []string) (done bool, err error) {
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("migrate %s: %w", s.path, err)
	}
	tx := &txConn{Tx: sqlTx, pg: s.db.pg}
	defer tx.Rollback() // after Commit, a no-op
	if s.db.pg {
		// Several portals may start together on one PostgreSQL; one migrates, the others wait.
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(7261001)"); err != nil {
			return false, fmt.Errorf("migrate %s: %w", s.path, err)
		}
		// Under the lock, so that portals opening a new database at once make it once.
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS portal_schema (version INTEGER NOT NULL)`); err != nil {
			return false, fmt.Errorf("prepare schema version in %s: %w", s.path, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO portal_schema (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM portal_schema)`); err != nil {
			return false, fmt.Errorf("prepare schema version in %s: %w", s.path, err)
		}
	}
	version, err := s.schemaVersion(ctx, tx.QueryRowContext)
	if err != nil {
		return false, fmt.Errorf("read schema version of %s: %w", s.path, err)
	}
	if version > len(names) {
		return false, fmt.Errorf("%s has schema %d, this portal knows up to %d: %w", s.path, version, len(names), ErrNewerSchema)
	}
	if version == len(names) {
		return true, nil
	}
	body, err := migrationFiles.ReadFile("migrations/" + names[version])
	if err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return false, fmt.Errorf("migrate %s to %s: %w", s.path, names[version], err)
	}
	if s.db.pg {
		_, err = tx.ExecContext(ctx, "UPDATE portal_schema SET version = ?", version+1)
	} else {
		_, err = tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version+1))
	}
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		return false, fmt.Errorf("migrate %s to %s: %w", s.path, names[version], err)
	}
	return false, nil
}

// schemaVersion reads SQLite's user_version, or the one-row table portal_schema on PostgreSQL.
func (s *Store) schemaVersion(ctx context.Context, queryRow func(context.Context, string, ...any) *sql.Row) (int, error) {
	var v int
	if !s.db.pg {
		err := queryRow(ctx, "PRAGMA user_version").Scan(&v)
		return v, err
	}
	err := queryRow(ctx, "SELECT version FROM portal_schema").Scan(&v)
	return v, err
}

func (s *Store) inTx(ctx context.Context, fn func(*txConn) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// bumpVersion records that the configuration document of a sales point changed.
func bumpVersion(ctx context.Context, tx *txConn, salesPointID string) error {
	_, err := tx.ExecContext(ctx, "UPDATE sales_points SET version = version + 1 WHERE id = ?", salesPointID)
	return err
}

// newID returns a UUIDv7, time-ordered like the ids the tills make.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// randomToken returns n random bytes as lowercase hex.
func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails since Go 1.24
	return hex.EncodeToString(b)
}

// hashSecret is how tokens, codes and session ids are stored: they are long random values, so
// a fast hash suffices and a stolen database does not reveal a usable credential.
func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s sql.NullString) time.Time {
	if !s.Valid {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339Nano, s.String)
	return t
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
