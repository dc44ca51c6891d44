//go:build !windows

package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// startPasswordPostgres runs a throwaway PostgreSQL (Debian's postgresql package) whose user
// portal must give the password secret over TCP, as a production server would ask. It returns
// the port. A missing package fails the test, as in the portal package's own PostgreSQL tests.
func startPasswordPostgres(t *testing.T, secret string) int {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/postgres")
	if len(bins) == 0 {
		t.Fatal("the PostgreSQL tests need Debian's PostgreSQL server: run apt-get install postgresql")
	}
	binDir := filepath.Dir(bins[len(bins)-1])
	dir, err := os.MkdirTemp("", "portal-cmd-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	var cred *syscall.Credential
	uid, gid := os.Getuid(), os.Getgid()
	if os.Geteuid() == 0 { // PostgreSQL refuses to run as root
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs the postgres user of the postgresql package: %v", err)
		}
		uid, _ = strconv.Atoi(u.Uid)
		gid, _ = strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		os.Chmod(dir, 0o700)
	}
	pwfile := filepath.Join(dir, "pw")
	if err := os.WriteFile(pwfile, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Chown(dir, uid, gid)
	os.Chown(pwfile, uid, gid)
	command := func(name string, args ...string) *exec.Cmd {
		cmd := exec.Command(filepath.Join(binDir, name), args...)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		cmd.Env = append(os.Environ(), "LC_ALL=C")
		return cmd
	}
	data := filepath.Join(dir, "data")
	if out, err := command("initdb", "-D", data, "-U", "portal", "--pwfile", pwfile, "--auth-local=trust",
		"--auth-host=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	srv := command("postgres", "-D", data, "-p", strconv.Itoa(port), "-h", "127.0.0.1", "-k", dir, "-c", "fsync=off")
	var log bytes.Buffer
	srv.Stdout, srv.Stderr = &log, &log
	if err := srv.Start(); err != nil {
		t.Fatalf("start postgres: %v", err)
	}
	t.Cleanup(func() {
		srv.Process.Signal(syscall.SIGINT)
		done := make(chan struct{})
		go func() { srv.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			srv.Process.Kill()
		}
	})
	db, err := sql.Open("pgx", fmt.Sprintf("postgres://portal:%s@127.0.0.1:%d/postgres?sslmode=disable", secret, port))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := 0; ; i++ {
		if err = db.Ping(); err == nil {
			return port
		}
		if i == 150 {
			t.Fatalf("postgres did not start: %v\n%s", err, log.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestPostgresPasswordNeverOnTheCommandLine connects to a PostgreSQL that asks for a password:
// from PGPASSWORD, or from a -dsn-file only its owner can read; a password on the command line
// and a file others can read are refused before any connection.
func TestPostgresPasswordNeverOnTheCommandLine(t *testing.T) {
	const secret = "s3greto-di-prova"
	port := startPasswordPostgres(t, secret)
	t.Setenv("PGPASSFILE", filepath.Join(t.TempDir(), "none")) // no ~/.pgpass of the machine's
	noPassword := fmt.Sprintf("postgres://portal@127.0.0.1:%d/postgres?sslmode=disable", port)
	withPassword := fmt.Sprintf("postgres://portal:%s@127.0.0.1:%d/postgres?sslmode=disable", secret, port)
	dsnFile := func(mode os.FileMode) string {
		path := filepath.Join(t.TempDir(), "dsn")
		if err := os.WriteFile(path, []byte(withPassword+"\n"), mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(path, mode) // whatever the umask
		return path
	}
	tests := []struct {
		name       string
		pgpassword string
		args       []string
		says       string // in the error; "" for success
	}{
		{"no password anywhere", "", []string{"-dsn", noPassword}, "password"},
		{"PGPASSWORD", secret, []string{"-dsn", noPassword}, ""},
		{"-dsn-file readable only by its owner", "", []string{"-dsn-file", dsnFile(0o600)}, ""},
		{"-dsn-file readable by others", "", []string{"-dsn-file", dsnFile(0o644)}, "readable by others"},
		{"-dsn-file readable by the group", "", []string{"-dsn-file", dsnFile(0o640)}, "chmod 600"},
		{"password in -dsn", "", []string{"-dsn", withPassword}, "must not hold the password"},
		{"password as a -dsn parameter", "", []string{"-dsn", noPassword + "&password=" + secret}, "must not hold the password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("PGPASSWORD", tt.pgpassword)
			var out bytes.Buffer
			err := run(context.Background(), append([]string{"seed-demo", "--json"}, tt.args...), &out)
			if tt.says == "" {
				if err != nil || !strings.Contains(out.String(), `"email"`) {
					t.Fatalf("seed-demo: %v %q", err, out.String())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("error %v, want one saying %q", err, tt.says)
			}
			if strings.Contains(err.Error(), secret) {
				t.Fatalf("the error shows the password: %v", err)
			}
		})
	}
}
