package sqlitefile

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ReadOnly opens path for reading only, to look at a file that may be refused. Through the log
// (a crash left one, or another process may be writing), it reads as any reader does, the
// -wal included, and may create the -shm SQLite coordinates readers with; otherwise it reads
// the file alone, immutable: no lock, and no file made beside one that may be refused.
func ReadOnly(path string, throughLog bool) (*sql.DB, error) {
	dsn := "file:" + path + "?mode=ro&immutable=1"
	if throughLog {
		dsn = fmt.Sprintf("file:%s?mode=ro&_pragma=busy_timeout(%d)", path, BusyTimeout)
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// Check runs SQLite's quick check (every page and record read, O(file)) or, with full, its
// integrity check (indexes compared with their tables too), and returns the problems it
// reports; none when the file is healthy. A file too damaged to be checked gives its error as
// the problem. err is for what says nothing about the file: a lock held too long, a cancel.
func Check(ctx context.Context, db *sql.DB, full bool) (problems []string, err error) {
	pragma := "PRAGMA quick_check"
	if full {
		pragma = "PRAGMA integrity_check"
	}
	rows, err := db.QueryContext(ctx, pragma)
	if err != nil {
		return damage(ctx, err)
	}
	defer rows.Close()
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return damage(ctx, err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return damage(ctx, err)
	}
	return problems, nil
}

// damage sorts an error of a check: busy, locked, interrupted or not allowed to read say
// nothing about the file; anything else while reading it is taken as damage, as SQLite
// answers "malformed" or "not a database" in many ways.
func damage(ctx context.Context, err error) ([]string, error) {
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_INTERRUPT, sqlite3.SQLITE_NOMEM,
			sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH:
			return nil, err
		}
	}
	return []string{err.Error()}, nil
}
