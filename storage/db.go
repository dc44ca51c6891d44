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
	"sync"
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
	// checked says whether opening ran SQLite's quick check: only after an unclean shutdown.
	checked bool

	prepMu   sync.Mutex
	prepared map[string]*sql.Stmt // hotQueries by their text, once a write has needed them
}

var sqliteHeader = []byte("SQLite format 3\x00")

// Open opens (or creates) the database at path and brings its schema up to date. A file that is
// not SQLite or has a newer schema is refused and left untouched, and so is a corrupt one when
// the last shutdown was unclean, the one time SQLite's quick check runs (it reads the whole
// file: a cost that grows with the history, so a cleanly closed file is trusted and `till db
// check` is there on demand). The file and its -wal and -shm are readable by the owner only:
// they hold the portal's device token.
func Open(ctx context.Context, path string) (*DB, error) {
	checked, err := checkFile(ctx, path)
	if err != nil {
		return nil, err
	}
	db, err := sqlitefile.Open(path)
	if err != nil {
		return nil, err
	}
	d := &DB{sql: db, path: path, checked: checked}
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

// ErrNoDatabase: OpenExisting was given a path where no database is.
var ErrNoDatabase = errors.New("no database at this path")

// OpenExisting opens the database at path like Open, but never creates one: the commands that
// read a till's history (export, journal, audit) would say the wrong thing of a new empty file.
// A missing file is ErrNoDatabase.
func OpenExisting(ctx context.Context, path string) (*DB, error) {
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", path, ErrNoDatabase)
		}
		return nil, err
	}
	return Open(ctx, path)
}

// checkFile refuses a file that is not SQLite, has a schema newer than ours, or was left by an
// unclean shutdown and fails the quick check, without writing to it: opening it read-write
// would switch it to WAL and could touch a bad file. It tells whether the quick check ran.
func checkFile(ctx context.Context, path string) (checked bool, err error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("open %s: %w", path, err)
	}
	head := make([]byte, len(sqliteHeader))
	n, err := io.ReadFull(f, head)
	if n == 0 && err == io.EOF {
		f.Close()
		return false, nil // an empty file is a new database
	}
	if err != nil || !bytes.Equal(head, sqliteHeader) {
		f.Close()
		return false, fmt.Errorf("%s: %w", path, ErrNotSQLite)
	}
	unclean, err := sqlitefile.Unclean(f)
	f.Close()
	if err != nil {
		return false, err
	}
	ro, err := sqlitefile.ReadOnly(path, unclean)
	if err != nil {
		return false, err
	}
	defer ro.Close()
	if unclean {
		problems, err := sqlitefile.Check(ctx, ro, false)
		if err != nil {
			return false, fmt.Errorf("check %s: %w", path, err)
		}
		if len(problems) > 0 {
			return false, fmt.Errorf("%s: %w: %s", path, ErrCorrupt, strings.Join(problems, "; "))
		}
	}
	var version int
	if err := ro.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return false, fmt.Errorf("%s: %w: %v", path, ErrCorrupt, err)
	}
	if known := len(migrationNames()); version > known {
		return false, fmt.Errorf("%s has schema %d, this till knows up to %d: %w", path, version, known, ErrNewerSchema)
	}
	return unclean, nil
}

// Health is what a full check of a database file found.
type Health struct {
	Schema   int      // the file's schema version
	Known    int      // the newest schema this till knows
	Problems []string // what SQLite's integrity check reported; none when the file is healthy
}

// Check runs SQLite's full integrity check on the database at path, reading it only: through
// the log when a till has it open or a crash left one, so it may run beside a working till.
// It fails (ErrNotSQLite, fs.ErrNotExist…) when there is nothing to check; damage is reported
// in Health.Problems.
func Check(ctx context.Context, path string) (Health, error) {
	h := Health{Known: len(migrationNames())}
	f, err := os.Open(path)
	if err != nil {
		return h, fmt.Errorf("open %s: %w", path, err)
	}
	head := make([]byte, len(sqliteHeader))
	_, err = io.ReadFull(f, head)
	f.Close()
	if err != nil || !bytes.Equal(head, sqliteHeader) {
		return h, fmt.Errorf("%s: %w", path, ErrNotSQLite)
	}
	_, noLog := os.Stat(path + "-wal")
	ro, err := sqlitefile.ReadOnly(path, noLog == nil)
	if err != nil {
		return h, err
	}
	defer ro.Close()
	if h.Problems, err = sqlitefile.Check(ctx, ro, true); err != nil {
		return h, fmt.Errorf("check %s: %w", path, err)
	}
	if err := ro.QueryRowContext(ctx, "PRAGMA user_version").Scan(&h.Schema); err != nil && len(h.Problems) == 0 {
		h.Problems = append(h.Problems, err.Error())
	}
	return h, nil
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
	if err := incrementalVacuum(ctx, conn); err != nil {
		return fmt.Errorf("open %s: %w", d.path, err)
	}
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

// incrementalVacuum makes a new file give back the pages the outbox frees (AckOutbox). It must
// run before WAL mode writes the file's first page: auto_vacuum is fixed once a table exists,
// and converting a file that has tables means rewriting it whole (VACUUM), which older files
// are spared. On a file with pages the pragma is not even run: with auto_vacuum already on, it
// rewrites the first page, a transaction and its fsyncs at every open.
func incrementalVacuum(ctx context.Context, conn *sql.Conn) error {
	var pages int
	if err := conn.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil || pages > 0 {
		return err
	}
	_, err := conn.ExecContext(ctx, "PRAGMA auto_vacuum = INCREMENTAL")
	return err
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
func (d *DB) Close() error {
	d.prepMu.Lock()
	for _, s := range d.prepared {
		s.Close()
	}
	d.prepared = nil
	d.prepMu.Unlock()
	return d.sql.Close()
}

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

// write runs fn in a transaction in which hotQueries run prepared.
func (d *DB) write(ctx context.Context, fn func(*txn) error) error {
	stmts, err := d.hot(ctx)
	if err != nil {
		return err
	}
	return d.inTx(ctx, func(tx *sql.Tx) error { return fn(&txn{Tx: tx, stmts: stmts}) })
}

// hot prepares hotQueries on first use, outside any transaction: the one connection is then
// free, and a transaction uses them through Tx.StmtContext. Parsing them was a third of the
// CPU a sale took.
func (d *DB) hot(ctx context.Context) (map[string]*sql.Stmt, error) {
	d.prepMu.Lock()
	defer d.prepMu.Unlock()
	if d.prepared != nil {
		return d.prepared, nil
	}
	stmts := make(map[string]*sql.Stmt, len(hotQueries))
	for _, q := range hotQueries {
		s, err := d.sql.PrepareContext(ctx, q)
		if err != nil {
			for _, s := range stmts {
				s.Close()
			}
			return nil, fmt.Errorf("prepare %q: %w", q, err)
		}
		stmts[q] = s
	}
	d.prepared = stmts
	return stmts, nil
}

// txn is a transaction that runs the statements it has prepared as such and any other text as
// the plain transaction would: callers write tx.ExecContext(ctx, someSQL, …) either way.
type txn struct {
	*sql.Tx
	stmts map[string]*sql.Stmt
}

func (t *txn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s, ok := t.stmts[query]; ok {
		return t.StmtContext(ctx, s).ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, query, args...)
}

func (t *txn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s, ok := t.stmts[query]; ok {
		return t.StmtContext(ctx, s).QueryContext(ctx, args...)
	}
	return t.Tx.QueryContext(ctx, query, args...)
}

func (t *txn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s, ok := t.stmts[query]; ok {
		return t.StmtContext(ctx, s).QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, query, args...)
}

// execer is a *sql.Tx or a txn.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// NewID returns a UUIDv7: time-ordered and made on the till, so sync is idempotent.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}
