package storage

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
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
	good := filepath.Join(dir, "good.db")
	db, err := Open(ctx, good)
	if err != nil {
		t.Fatal(err)
	}
	db.SeedDemo(ctx)
	db.sql.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	db.Close()
	healthy, _ := os.ReadFile(good)
	corrupt := append([]byte(nil), healthy...)
	for i := 4096; i < len(corrupt) && i < 4096*4; i++ {
		corrupt[i] = 0xA5 // trash the pages after the first, keep the header
	}
	tests := []struct {
		name    string
		content []byte
		want    error
	}{
		{"text file", []byte("these are my notes, not a database\n"), ErrNotSQLite},
		{"short file", []byte("SQL"), ErrNotSQLite},
		{"corrupt pages", corrupt, ErrCorrupt},
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
