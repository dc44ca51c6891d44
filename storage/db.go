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
	"net/url"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
	"modernc.org/sqlite" // registers the "sqlite" driver, pure Go, no cgo
	sqlite3 "modernc.org/sqlite/lib"
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
	if err := ownerOnly(path); err != nil {
		return nil, err
	}
	// journal_mode(WAL) is not among them: migrate sets it once for the file, see enableWAL.
	q := url.Values{}
	for _, p := range []string{"synchronous(FULL)", fmt.Sprintf("busy_timeout(%d)", busyTimeout), "foreign_keys(1)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	d := &DB{sql: db, path: path}
	if err := d.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// Again now that the -wal and -shm exist: one left by an older till or made by another
	// process before the first chmod is tightened too.
	if err := ownerOnly(path); err != nil {
		db.Close()
		return nil, err
	}
	return d, nil
}

// ownerOnly creates the database file with mode 0600 when it is missing, whatever the umask,
// and takes the group and other bits off the file and its -wal and -shm when they exist.
// SQLite creates the -wal and -shm with the mode of the database file (os_unix.c gives a new
// journal the database's permissions and fchmods it past the umask), so a private database
// file is enough for the files SQLite makes later; the chmod of existing ones covers files
// left by an older version or a crash.
func ownerOnly(path string) error {
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		err = f.Chmod(0o600) // the umask may have taken bits off; this sets exactly 0600
		f.Close()
		if err != nil {
			return fmt.Errorf("create %s: %w", path, err)
		}
	} else if !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("create %s: %w", path, err)
	}
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("check mode of %s: %w", name, err)
		}
		if perm := info.Mode().Perm(); perm&0o077 != 0 {
			if err := os.Chmod(name, perm&^0o077); err != nil {
				return fmt.Errorf("make %s private: %w", name, err)
			}
		}
	}
	return nil
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

// How long a statement waits for another process holding the file's write lock, in
// milliseconds. While opening, that is most likely another till process (the window and a
// `till sync`) started at the same time and running the same migration, which may rewrite a
// large table: Open waits longer for it than a sale waits on a day-to-day write.
const (
	busyTimeout          = 5_000
	migrationBusyTimeout = 120_000
)

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
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", migrationBusyTimeout)); err != nil {
		return fmt.Errorf("open %s: %w", d.path, err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("PRAGMA busy_timeout = %d", busyTimeout))
	if err := enableWAL(ctx, conn); err != nil {
		return fmt.Errorf("set %s to WAL: %w", d.path, err)
	}
	names := migrationNames()
	for {
		done, err := d.migrateStep(ctx, conn, names)
		if err != nil || done {
			return err
		}
	}
}

// enableWAL switches the file to write-ahead logging, which then holds for every connection.
// Two processes switching a new file at once deadlock inside SQLite: each holds the read lock
// the other needs to write the header, and SQLite answers one of them SQLITE_BUSY at once
// instead of waiting. That one tries again: by then the other holds the write lock, which the
// busy timeout waits for, or the file is in WAL already and nothing needs writing.
func enableWAL(ctx context.Context, conn *sql.Conn) error {
	deadline := time.Now().Add(migrationBusyTimeout * time.Millisecond)
	for pause := time.Millisecond; ; pause = min(2*pause, 100*time.Millisecond) {
		var mode string
		err := conn.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode)
		if err == nil && mode != "wal" {
			return fmt.Errorf("journal mode is %q", mode)
		}
		var se *sqlite.Error
		if err == nil || !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_BUSY || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
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
