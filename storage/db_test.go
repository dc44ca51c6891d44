package storage

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func openTemp(t testing.TB) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "till.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestOpenMigratesAndSetsPragmas(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	var version int
	var mode string
	var fk, sync int
	if err := db.sql.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if version != SchemaVersion() || version < 1 {
		t.Fatalf("user_version = %d, want %d", version, SchemaVersion())
	}
	db.sql.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode)
	db.sql.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk)
	db.sql.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync)
	if mode != "wal" || fk != 1 || sync != 2 {
		t.Fatalf("journal_mode=%s foreign_keys=%d synchronous=%d; want wal 1 2(FULL)", mode, fk, sync)
	}
	for _, table := range []string{"departments", "products", "sales", "sale_lines", "payments", "documents", "config", "outbox", "audit_log"} {
		var n int
		if err := db.sql.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?", table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s missing", table)
		}
	}
}

func TestReopenKeepsDataAndDoesNotReseed(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "till.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if seeded, err := db.SeedDemo(ctx); err != nil || !seeded {
		t.Fatalf("first seed: %v %v", seeded, err)
	}
	db.Close()
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if seeded, err := db.SeedDemo(ctx); err != nil || seeded {
		t.Fatalf("second seed must do nothing: %v %v", seeded, err)
	}
	deps, _ := db.Departments(ctx)
	prods, _ := db.Products(ctx)
	if len(deps) != 4 || len(prods) != len(demoProducts) {
		t.Fatalf("departments %d products %d", len(deps), len(prods))
	}
	want := map[string]string{"Bar": "22%", "Cucina": "10%", "Alimentari": "4%", "Escluso art. 15": "0%N1"}
	for _, d := range deps {
		if got := d.VATRate.String() + d.Nature; got != want[d.Name] {
			t.Errorf("department %s: %s, want %s", d.Name, got, want[d.Name])
		}
	}
}

func TestOpenRefusesNewerSchemaWithoutTouchingIt(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "till.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.sql.ExecContext(ctx, "PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, _ := os.ReadFile(path)
	_, err = Open(ctx, path)
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("err = %v, want ErrNewerSchema", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Fatal("the newer database was modified")
	}
}

func TestOpenRefusesFilesThatAreNotHealthySQLite(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	tests := []struct {
		name    string
		content []byte
		want    error
	}{
		{"text file", []byte("these are my notes, not a database\n"), ErrNotSQLite},
		{"short file", []byte("SQL"), ErrNotSQLite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name+".db")
			if err := os.WriteFile(path, tt.content, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Open(ctx, path)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(after, tt.content) {
				t.Fatal("the refused file was modified")
			}
			if _, err := os.Stat(path + "-wal"); err == nil {
				t.Fatal("a WAL file was created beside the refused file")
			}
		})
	}
}

// After a crash the quick check runs before the file is opened for writing: a file with
// damaged pages is refused, and neither it nor the log the crash left is changed. A healthy one
// opens with what the crash left in the log.
func TestOpenAfterACrashChecksTheFileFirst(t *testing.T) {
	ctx := context.Background()
	t.Run("damaged", func(t *testing.T) {
		path, logged := crashImage(t)
		corruptPages(t, path, logged)
		before, _ := os.ReadFile(path)
		beforeLog, _ := os.ReadFile(path + "-wal")
		_, err := Open(ctx, path)
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("err = %v, want ErrCorrupt", err)
		}
		after, _ := os.ReadFile(path)
		afterLog, _ := os.ReadFile(path + "-wal")
		if !bytes.Equal(before, after) || !bytes.Equal(beforeLog, afterLog) {
			t.Fatal("the refused file or its log was modified")
		}
	})
	t.Run("healthy", func(t *testing.T) {
		path, _ := crashImage(t)
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if !db.checked {
			t.Fatal("the file a crash left was opened without the quick check")
		}
		var n int
		if err := db.sql.QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'before the crash'`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("the write in the log before the crash: %d rows, %v", n, err)
		}
	})
}

// crashImage makes a database as a machine that stopped leaves it: the file and a -wal
// holding the last committed writes, nobody holding it open. It copies them while a
// connection that wrote is still open (nothing is checkpointed before 1000 pages), and
// returns the new path and the pages the log holds.
func crashImage(t *testing.T) (string, map[uint32]bool) {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	db, err := Open(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SeedDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	conn, err := sql.Open("sqlite", "file:"+src)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Exec(`INSERT INTO audit_log(id, at, actor, action) VALUES ('x', 'now', 'test', 'before the crash')`); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "crashed.db")
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(src + suffix)
		if err != nil || (suffix == "-wal" && len(b) == 0) {
			t.Fatalf("%s%s: %d bytes, %v", src, suffix, len(b), err)
		}
		if err := os.WriteFile(path+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return path, walPages(t, path+"-wal")
}

// walPages lists the pages a -wal holds frames of (the log's header is 32 bytes, the page
// size at its offset 8; each frame is a 24-byte header, the page number first, and the page).
func walPages(t *testing.T, path string) map[uint32]bool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil || len(b) < 32 {
		t.Fatalf("log %s: %d bytes, %v", path, len(b), err)
	}
	size := int(binary.BigEndian.Uint32(b[8:12]))
	pages := map[uint32]bool{}
	for off := 32; off+24+size <= len(b); off += 24 + size {
		pages[binary.BigEndian.Uint32(b[off:off+4])] = true
	}
	return pages
}

// corruptPages fills three pages of the file after the first with garbage, none of the pages
// in skip (a reader takes those from the log).
func corruptPages(t *testing.T, path string, skip map[uint32]bool) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const size = 4096
	trashed := 0
	for page := uint32(2); trashed < 3 && int(page)*size <= len(b); page++ {
		if skip[page] {
			continue
		}
		for i := int(page-1) * size; i < int(page)*size; i++ {
			b[i] = 0xA5
		}
		trashed++
	}
	if trashed < 3 {
		t.Fatalf("only %d pages to damage", trashed)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// A file closed cleanly is trusted at open; damage in it is found by Check (`till db check`),
// which reads it only.
func TestCheckFindsDamageWithoutWriting(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "till.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db.SeedDemo(ctx)
	db.Close()
	h, err := Check(ctx, path)
	if err != nil || len(h.Problems) > 0 || h.Schema != SchemaVersion() || h.Known != SchemaVersion() {
		t.Fatalf("healthy file: %+v, %v", h, err)
	}
	corruptPages(t, path, nil)
	before, _ := os.ReadFile(path)
	h, err = Check(ctx, path)
	if err != nil || len(h.Problems) == 0 {
		t.Fatalf("damaged file: %+v, %v", h, err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Fatal("the check modified the file")
	}
	for _, name := range []string{path + "-wal", path + "-shm"} {
		if _, err := os.Stat(name); err == nil {
			t.Fatalf("the check made %s beside a file no till had open", filepath.Base(name))
		}
	}
	if _, err := Check(ctx, filepath.Join(t.TempDir(), "missing.db")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
	notes := filepath.Join(t.TempDir(), "notes.db")
	os.WriteFile(notes, []byte("not a database at all, just some notes"), 0o600)
	if _, err := Check(ctx, notes); !errors.Is(err, ErrNotSQLite) {
		t.Fatalf("text file: %v", err)
	}
}

func TestOpenCreatesNewFileAndAcceptsEmptyFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "empty.db")
	os.WriteFile(path, nil, 0o600)
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("empty file: %v", err)
	}
	db.Close()
	if _, err := Open(ctx, filepath.Join(t.TempDir(), "missing-dir", "x.db")); err == nil {
		t.Fatal("a database in a missing folder opened")
	}
}

// The single connection with immediate transactions must serialise concurrent
// read-then-write transactions instead of failing them with SQLITE_BUSY.
func TestConcurrentReadThenWriteTransactionsAllCommit(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	const workers, each = 8, 25
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		go func() {
			for i := 0; i < each; i++ {
				err := db.inTx(ctx, func(tx *sql.Tx) error {
					var n int
					if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM audit_log").Scan(&n); err != nil {
						return err
					}
					_, err := tx.ExecContext(ctx, "INSERT INTO audit_log(id, at, actor, action) VALUES (?, 'now', 'test', 'x')", NewID())
					return err
				})
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for w := 0; w < workers; w++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	var n int
	db.sql.QueryRowContext(ctx, "SELECT count(*) FROM audit_log").Scan(&n)
	if n != workers*each {
		t.Fatalf("rows = %d, want %d", n, workers*each)
	}
}

// OpenExisting never creates a database: a missing file is ErrNoDatabase and stays missing.
func TestOpenExistingNeverCreatesADatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "missing.db")
	if _, err := OpenExisting(ctx, path); !errors.Is(err, ErrNoDatabase) {
		t.Fatalf("missing file: %v, want ErrNoDatabase", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the file was created: %v", err)
	}
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = OpenExisting(ctx, path)
	if err != nil {
		t.Fatalf("existing file: %v", err)
	}
	db.Close()
}
