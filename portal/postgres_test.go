//go:build !windows

package portal_test

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"till/portal"
)

// pgServer is a throwaway PostgreSQL from Debian's postgresql package, started for one test.
type pgServer struct {
	port int
	n    int
}

// startPostgres runs initdb and postgres in a temporary directory on a free loopback port. As
// root it runs them as the postgres user, since PostgreSQL refuses to run as root. A missing
// package fails the test, like a missing chromium: CI must not pass without running it.
func startPostgres(t testing.TB) *pgServer {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/postgres")
	if len(bins) == 0 {
		t.Fatal("the PostgreSQL tests need Debian's PostgreSQL server: run apt-get install postgresql")
	}
	binDir := filepath.Dir(bins[len(bins)-1])
	dir, err := os.MkdirTemp("", "portal-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs the postgres user of the postgresql package: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		os.Chmod(dir, 0o755)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	command := func(name string, args ...string) *exec.Cmd {
		cmd := exec.Command(filepath.Join(binDir, name), args...)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		cmd.Env = append(os.Environ(), "LC_ALL=C")
		return cmd
	}
	data := filepath.Join(dir, "data")
	if out, err := command("initdb", "-D", data, "-U", "portal", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	srv := command("postgres", "-D", data, "-p", strconv.Itoa(port), "-h", "127.0.0.1", "-k", dir,
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	log, _ := os.Create(filepath.Join(dir, "postgres.log"))
	srv.Stdout, srv.Stderr = log, log
	if err := srv.Start(); err != nil {
		t.Fatalf("start postgres: %v", err)
	}
	t.Cleanup(func() {
		srv.Process.Signal(syscall.SIGINT) // fast shutdown
		done := make(chan struct{})
		go func() { srv.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			srv.Process.Kill()
		}
	})
	s := &pgServer{port: port}
	db, err := sql.Open("pgx", s.dsn("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := 0; ; i++ {
		if err = db.Ping(); err == nil {
			break
		}
		if i == 150 {
			out, _ := os.ReadFile(filepath.Join(dir, "postgres.log"))
			t.Fatalf("postgres did not start: %v\n%s", err, out)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return s
}

func (s *pgServer) dsn(db string) string {
	return fmt.Sprintf("postgres://portal@127.0.0.1:%d/%s?sslmode=disable", s.port, db)
}

// portal makes a fresh database and serves a portal on it, so each test starts empty.
func (s *pgServer) portal(t testing.TB) *testPortal {
	t.Helper()
	s.n++
	name := fmt.Sprintf("portal_%d", s.n)
	admin, err := sql.Open("pgx", s.dsn("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = admin.Exec("CREATE DATABASE " + name)
	admin.Close()
	if err != nil {
		t.Fatal(err)
	}
	store, err := portal.Open(context.Background(), s.dsn(name))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(portal.NewServer(store))
	t.Cleanup(func() {
		srv.Close()
		store.Close()
	})
	return &testPortal{URL: srv.URL, Store: store, pg: true}
}

// TestPostgres runs the API, security and page tests against PostgreSQL, each on a new database.
func TestPostgres(t *testing.T) {
	pg := startPostgres(t)
	tests := []struct {
		name string
		fn   func(*testing.T, *testPortal)
	}{
		{"ActivateSpendsCodeOnce", testActivateSpendsCodeOnce},
		{"ConfigETagAndVersionBump", testConfigETagAndVersionBump},
		{"DevicesRegisteredAppearInConfig", testDevicesRegisteredAppearInConfig},
		{"SalesBatchIsIdempotent", testSalesBatchIsIdempotent},
		{"SalesBatchRejectedWhole", testSalesBatchRejectedWhole},
		{"SaleUnknownFieldsKept", testSaleUnknownFieldsKept},
		{"RevokedTokenIsRefused", testRevokedTokenIsRefused},
		{"PendingReportedByTill", testPendingReportedByTill},
		{"SameBatchConcurrently", testSameBatchConcurrently},
		{"SameSaleTwiceInOneBatch", testSameSaleTwiceInOneBatch},
		{"AccountCannotTouchAnotherAccount", testAccountCannotTouchAnotherAccount},
		{"CSRFTokenRequired", testCSRFTokenRequired},
		{"Login", testLogin},
		{"CoverflexStepsWithPlainForms", testCoverflexStepsWithPlainForms},
		{"AccountPageCodesRevokeAndSales", testAccountPageCodesRevokeAndSales},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, pg.portal(t)) })
	}
	t.Run("OpenTwiceKeepsSchema", func(t *testing.T) {
		p := pg.portal(t)
		again, err := portal.Open(context.Background(), pg.dsn(fmt.Sprintf("portal_%d", pg.n)))
		if err != nil {
			t.Fatal(err)
		}
		again.Close()
		if n := countRows(t, p, "SELECT version FROM portal_schema"); n != portal.SchemaVersion() {
			t.Fatalf("schema version %d, want %d", n, portal.SchemaVersion())
		}
	})
}
