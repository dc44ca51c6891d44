//go:build unix

package storage

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// The database holds the portal's device token: the file, its -wal and its -shm are the
// owner's only, on a new file whatever the umask, and on an older file that was more open.
func TestDatabaseFilesAreOwnerOnly(t *testing.T) {
	defer syscall.Umask(syscall.Umask(0)) // the most open umask: SQLite alone would make 0644
	ctx := context.Background()

	t.Run("new file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "till.db")
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.SeedDemo(ctx); err != nil {
			t.Fatal(err)
		}
		checkOwnerOnly(t, path)
	})

	t.Run("older file more open", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "till.db")
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		if err := os.Chmod(path, 0o664); err != nil {
			t.Fatal(err)
		}
		// Another connection keeps a -wal and -shm made, like SQLite does, with the file's mode.
		other, err := sql.Open("sqlite", "file:"+path)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		if _, err := other.Exec("INSERT INTO audit_log(id, at, actor, action) VALUES ('x', 'now', 'test', 'x')"); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{path, path + "-wal", path + "-shm"} {
			if info, err := os.Stat(name); err != nil || info.Mode().Perm() != 0o664 {
				t.Fatalf("before: %s %v %v", name, info.Mode(), err)
			}
		}
		db, err = Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.SeedDemo(ctx); err != nil {
			t.Fatal(err)
		}
		checkOwnerOnly(t, path)
	})
}

func checkOwnerOnly(t *testing.T, path string) {
	t.Helper()
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if perm := info.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(name), perm)
		}
	}
}
