package storage

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// The outbox is the one table whose rows leave the till: a new database gives the pages of
// acknowledged rows back to the file system, a bounded number at each acknowledgement, so a
// long offline spell does not leave the file at its largest for ever.
func TestAcknowledgedOutboxPagesAreGivenBack(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	if mode := pragma(t, db.sql, "auto_vacuum"); mode != 2 {
		t.Fatalf("auto_vacuum = %d, want 2 (incremental)", mode)
	}
	empty := pragma(t, db.sql, "page_count")
	ids := fillOutbox(t, db, 3000)
	full := pragma(t, db.sql, "page_count")
	if full-empty < 1500 {
		t.Fatalf("the outbox took %d pages, want a large one", full-empty)
	}
	for start := 0; start < len(ids); start += 500 { // as the pusher acknowledges: a batch at a time
		if n, err := db.AckOutbox(ctx, ids[start:start+500]); err != nil || n != 500 {
			t.Fatalf("ack: %d, %v", n, err)
		}
		// Each of these acknowledgements frees about 250 pages and gives back up to 256.
		if free := pragma(t, db.sql, "freelist_count"); free > 256 {
			t.Fatalf("after acknowledging %d rows, %d free pages kept", start+500, free)
		}
	}
	left, free := pragma(t, db.sql, "page_count"), pragma(t, db.sql, "freelist_count")
	if left > empty+(full-empty)/4 {
		t.Fatalf("pages: %d empty, %d with the outbox, %d after acknowledging it all (%d free)", empty, full, left, free)
	}
	// What the vacuum moves are pages: the rest of the database reads as before.
	if n, err := db.OutboxCount(ctx); err != nil || n != 0 {
		t.Fatalf("outbox %d, %v", n, err)
	}
	if problems, err := quickCheck(db); err != nil || len(problems) > 0 {
		t.Fatalf("after the vacuum: %v %v", problems, err)
	}
}

// A database made by an earlier till has no auto_vacuum, and converting it would rewrite it
// whole: it is left so, and its free pages are reused by the next sales.
func TestOlderFileKeepsItsFreePagesForReuse(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v5.db")
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range migrationNames()[:5] {
		body, err := Migration(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(string(body)); err != nil {
			t.Fatal(err)
		}
		raw.Exec(fmt.Sprintf("PRAGMA user_version = %d", i+1))
	}
	raw.Close()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if mode := pragma(t, db.sql, "auto_vacuum"); mode != 0 {
		t.Fatalf("auto_vacuum = %d on a file that had none", mode)
	}
	ids := fillOutbox(t, db, 1000)
	full := pragma(t, db.sql, "page_count")
	if n, err := db.AckOutbox(ctx, ids); err != nil || n != len(ids) {
		t.Fatalf("ack: %d, %v", n, err)
	}
	if pages, free := pragma(t, db.sql, "page_count"), pragma(t, db.sql, "freelist_count"); pages != full || free < 400 {
		t.Fatalf("pages %d (were %d), free %d", pages, full, free)
	}
}

// fillOutbox queues n sales' worth of outbox rows, each with a payload the size of a sale of
// a dozen lines, and returns their ids.
func fillOutbox(t *testing.T, db *DB, n int) []string {
	t.Helper()
	ids := make([]string, n)
	payload := `{"lines": "` + strings.Repeat("x", 1800) + `"}`
	err := db.inTx(context.Background(), func(tx *sql.Tx) error {
		for i := range ids {
			ids[i] = NewID()
			if _, err := tx.Exec(insertOutboxSQL, ids[i], "sale", fmt.Sprint("sale-", i), payload, "2026-11-27T10:00:00Z"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func pragma(t *testing.T, db *sql.DB, name string) int {
	t.Helper()
	var v int
	if err := db.QueryRow("PRAGMA " + name).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func quickCheck(db *DB) ([]string, error) {
	rows, err := db.sql.Query("PRAGMA quick_check")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		rows.Scan(&line)
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	return problems, rows.Err()
}
