// Package sqlitefile opens the SQLite files of the till and of the back office the same way:
// private to their owner (0600, -wal and -shm included), one connection with immediate
// transactions, synchronous=FULL, foreign keys, and write-ahead logging switched on once per
// file even when two processes open a new file together. It holds no schema.
package sqlitefile

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// How long a statement waits for another process holding the file's write lock, in
// milliseconds. While opening, that is most likely another process started at the same time
// and running the same migration, which may rewrite a large table: opening waits longer for it
// than a day-to-day write does.
const (
	BusyTimeout          = 5_000
	MigrationBusyTimeout = 120_000
)

// Open makes path private (see OwnerOnly) and opens it with the project's settings, without
// switching it to WAL: PrepareMigration does that once, with the migration's connection.
func Open(path string) (*sql.DB, error) {
	if err := OwnerOnly(path); err != nil {
		return nil, err
	}
	q := url.Values{}
	for _, p := range []string{"synchronous(FULL)", fmt.Sprintf("busy_timeout(%d)", BusyTimeout), "foreign_keys(1)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// One writer: a read-then-write on a single connection with immediate transactions never
	// fails with SQLITE_BUSY.
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// PrepareMigration readies conn to migrate: it waits long for another process's migration and
// switches the file to WAL. The returned restore puts the day-to-day busy timeout back.
func PrepareMigration(ctx context.Context, conn *sql.Conn) (restore func(), err error) {
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", MigrationBusyTimeout)); err != nil {
		return nil, err
	}
	restore = func() {
		conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("PRAGMA busy_timeout = %d", BusyTimeout))
	}
	if err := enableWAL(ctx, conn); err != nil {
		restore()
		return nil, fmt.Errorf("switch to WAL: %w", err)
	}
	return restore, nil
}

// enableWAL switches the file to write-ahead logging, which then holds for every connection.
// Two processes switching a new file at once deadlock inside SQLite: each holds the read lock
// the other needs to write the header, and SQLite answers one of them SQLITE_BUSY at once
// instead of waiting. That one tries again: by then the other holds the write lock, which the
// busy timeout waits for, or the file is in WAL already and nothing needs writing.
func enableWAL(ctx context.Context, conn *sql.Conn) error {
	deadline := time.Now().Add(MigrationBusyTimeout * time.Millisecond)
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

// OwnerOnly creates the database file with mode 0600 when it is missing, whatever the umask,
// and takes the group and other bits off the file and its -wal and -shm when they exist.
// SQLite creates the -wal and -shm with the mode of the database file (os_unix.c gives a new
// journal the database's permissions and fchmods it past the umask), so a private database
// file is enough for the files SQLite makes later; the chmod of existing ones covers files
// left by an older version or a crash. Call it again after opening.
func OwnerOnly(path string) error {
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
