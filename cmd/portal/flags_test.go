package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseProxies(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"", "[]", ""},
		{"127.0.0.1", "[127.0.0.1/32]", ""},
		{"127.0.0.1, ::1", "[127.0.0.1/32 ::1/128]", ""},
		{"10.1.2.3/8,::ffff:192.0.2.1", "[10.0.0.0/8 192.0.2.1/32]", ""},
		{"proxy.example.it", "", "not an IP address"},
		{"127.0.0.1:443", "", "not an IP address"},
	}
	for _, tt := range tests {
		got, err := parseProxies(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: error %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || fmt.Sprint(got) != tt.want {
			t.Errorf("%q: %v %v, want %s", tt.in, got, err, tt.want)
		}
	}
}

// TestDatabaseFlags: which database each combination of -db, -dsn and -dsn-file names, and the
// combinations refused before anything is opened.
func TestDatabaseFlags(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string, mode os.FileMode) string {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(content), mode)
		os.Chmod(path, mode)
		return path
	}
	private := write("private", "  postgres://portal:x@db.example/portal\n", 0o600)
	shared := write("shared", "postgres://portal:x@db.example/portal", 0o604)
	notURL := write("noturl", "host=db.example password=x", 0o600)
	tests := []struct {
		name, path, dsn, file string
		want, err             string
	}{
		{"SQLite by default", "portal.db", "", "", "portal.db", ""},
		{"-dsn without password", "portal.db", "postgres://portal@db.example/portal", "", "postgres://portal@db.example/portal", ""},
		{"-dsn with a password", "portal.db", "postgres://portal:x@db.example/portal", "", "", "must not hold the password"},
		{"-dsn with an empty password", "portal.db", "postgres://portal:@db.example/portal", "", "", "must not hold the password"},
		{"-dsn-file of its owner", "portal.db", "", private, "postgres://portal:x@db.example/portal", ""},
		{"-dsn-file others can read", "portal.db", "", shared, "", "readable by others"},
		{"-dsn-file without a URL", "portal.db", "", notURL, "", "must hold one postgres:// URL"},
		{"-dsn-file missing", "portal.db", "", filepath.Join(dir, "none"), "", "no such file"},
		{"both", "portal.db", "postgres://portal@db.example/portal", private, "", "not both"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := dbFlags{path: &tt.path, dsn: &tt.dsn, dsnFile: &tt.file}.database()
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				if strings.Contains(err.Error(), ":x@") {
					t.Fatalf("the error shows the password: %v", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("%q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// TestServeTrustedProxy serves with -trusted-proxy 127.0.0.1: the login page's cookie is
// Secure, as behind a TLS proxy; without the flag it is not. A bad value stops the command.
func TestServeTrustedProxy(t *testing.T) {
	db := filepath.Join(t.TempDir(), "portal.db")
	tests := []struct {
		name   string
		args   []string
		secure bool
	}{
		{"no proxy named", nil, false},
		{"loopback proxy named", []string{"-trusted-proxy", "127.0.0.1,::1"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, stop := serveForTest(t, append([]string{"-listen", "127.0.0.1:0", "-db", db}, tt.args...))
			defer stop()
			resp, err := http.Get(base + "/login")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			cookies := resp.Cookies()
			if len(cookies) == 0 || cookies[0].Secure != tt.secure {
				t.Fatalf("cookies %v, want Secure=%v", cookies, tt.secure)
			}
		})
	}
	if err := run(context.Background(), []string{"-listen", "127.0.0.1:0", "-db", db, "-trusted-proxy", "proxy.local"}, io.Discard); err == nil {
		t.Fatal("a proxy that is not an address was accepted")
	}
}

// serveForTest runs the serve command on a free port and returns its URL and a stop function.
func serveForTest(t *testing.T, args []string) (string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, pw); pw.Close() }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	go io.Copy(io.Discard, pr)
	if err != nil {
		cancel()
		t.Fatalf("no address printed: %v", err)
	}
	return strings.Fields(line)[2], func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("portal did not stop")
		}
	}
}
