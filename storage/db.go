// Package storage keeps the till's data in SQLite: opening a file safely, the embedded schema
// migrations, and the repositories the checkout and the UI read and write. It never decides
// about a sale; it records what the checkout decided, one transaction per state change.
package storage

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"till/internal/sqlitefile"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Errors a caller shows to a person; the file is never changed when they happen.
var (
	ErrNotSQLite    = errors.New("not an SQLite database")
	ErrCorrupt      = errors.New("database is corrupt")
	ErrNewerSchema  = errors.New("database was written by a newer version of the till")
	ErrNotDirectory = errors.New("database folder is not usable")
)

// DB is the till's database. It holds a single connection: SQLite allows one writer, and one
// connection with immediate transactions never fails with SQLITE_BUSY inside the till.
type DB struct {
	sql  *sql.DB
	path string
}

var sqliteHeader = []byte("SQLite format 3\x00")

// Open opens (or creates) the database at path and brings its schema up to date. A file that is
// not SQLite, is corrupt, or has a newer schema is refused and left untouched. The file and its
// -wal and -shm are readable by the owner only: they hold the portal's device token.
func Open(ctx context.Context, path string) (*DB, error) {
	if err := checkFile(ctx, path); err != nil {
		return nil, err
	}
	db, err := sqlitefile.Open(path)
	if err != nil {
		return nil, err
	}
	d := &DB{sql: db, path: path}
	if err := d.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// Again now that the -wal and -shm exist: one left by an older till or made by another
	// process before the first chmod is tightened too.
	if err := sqlitefile.OwnerOnly(path); err != nil {
		db.Close()
		return nil, err
	}
	return d, nil
}

// checkFile refuses a file that is not a healthy SQLite database of a schema we know, without
// writing to it: opening it read-write would switch it to WAL and could touch a bad file.
func checkFile(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	head := make([]byte, len(sqliteHeader))
	n, err := io.ReadFull(f, head)
	f.Close()
	if n == 0 && (err == io.EOF) {
		return nil // an empty file is a new database
	}
	if err != nil || !bytes.Equal(head, sqliteHeader) {
		return fmt.Errorf("%s: %w", path, ErrNotSQLite)
	}
	// immutable: no locks and no -wal/-shm files beside a file we may refuse.
	ro, err := sql.Open("sqlite", "file:"+path+"?mode=ro&immutable=1")
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer ro.Close()
	var result string
	if err := ro.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&result); err != nil || result != "ok" {
		if err == nil {
			err = errors.New(result)
		}
		return fmt.Errorf("%s: %w: %v", path, ErrCorrupt, err)
	}
	var version int
	if err := ro.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("%s: %w: %v", path, ErrCorrupt, err)
	}
	if known := len(migrationNames()); version > known {
		return fmt.Errorf("%s has schema %d, this till knows up to %d: %w", path, version, known, ErrNewerSchema)
	}
	return nil
}

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

// SchemaVersion is the schema this binary writes.
func SchemaVersion() int { return len(migrationNames()) }

// migrate applies the embedded migrations after the database's user_version, each in its own
// transaction together with its new user_version. The version is read inside that
// transaction, which holds the write lock (BEGIN IMMEDIATE): of two processes opening a new
// file at once, one migrates and the other waits for it and then finds nothing left to do.
func (d *DB) migrate(ctx context.Context) error {
	conn, err := d.sql.Conn(ctx)
	if err != nil {
		return fmt.Errorf("open %s: %w", d.path, err)
	}
	defer conn.Close()
	restore, err := sqlitefile.PrepareMigration(ctx, conn)
	if err != nil {
		return fmt.Errorf("open %s: %w", d.path, err)
	}
	defer restore()
	names := migrationNames()
	for {
		done, err := d.migrateStep(ctx, conn, names)
		if err != nil || done {
			return err
		}
	}
}

// migrateStep applies the migration after the file's user_version, or says there is none.
func (d *DB) migrateStep(ctx context.Context, conn *sql.Conn, names []string) (done bool, err error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("migrate %s: %w", d.path, err)
	}
	defer tx.Rollback() // after Commit, a no-op
	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return false, fmt.Errorf("read schema version of %s: %w", d.path, err)
	}
	if version > len(names) {
		return false, fmt.Errorf("%s has schema %d, this till knows up to %d: %w", d.path, version, len(names), ErrNewerSchema)
	}
	if version == len(names) {
		return true, nil
	}
	body, err := migrationFiles.ReadFile("migrations/" + names[version])
	if err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return false, fmt.Errorf("migrate %s to %s: %w", d.path, names[version], err)
	}
	_, err = tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version+1))
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		return false, fmt.Errorf("migrate %s to %s: %w", d.path, names[version], err)
	}
	return false, nil
}

// Close closes the database.
func (d *DB) Close() error { return d.sql.Close() }

// Path is the file the database lives in.
func (d *DB) Path() string { return d.path }

// SQL exposes the handle for benchmarks and tests in this module.
func (d *DB) SQL() *sql.DB { return d.sql }

func (d *DB) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := d.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// NewID returns a UUIDv7: time-ordered and made on the till, so sync is idempotent.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}
