package storage

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// openChildEnv makes this test binary a child that opens the till's database at the path it
// names: it says "ready", waits for a line on stdin so that all children start together,
// opens, reads a table of the schema, says "opened" and waits for a second line before it
// closes and exits 0; a failure is printed on stderr with exit status 1.
const openChildEnv = "STORAGE_OPEN_CHILD"

func TestMain(m *testing.M) {
	if path := os.Getenv(openChildEnv); path != "" {
		os.Exit(openChild(path))
	}
	os.Exit(m.Run())
}

func openChild(path string) int {
	fmt.Println("ready")
	stdin := bufio.NewReader(os.Stdin)
	if _, err := stdin.ReadString('\n'); err != nil {
		fmt.Fprintln(os.Stderr, "no start signal:", err)
		return 1
	}
	db, err := Open(context.Background(), path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer db.Close()
	if _, err := db.OutboxCount(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "after open:", err)
		return 1
	}
	// Stay open until every child has opened: a checkpoint on close is not this test's race.
	fmt.Println("opened")
	stdin.ReadString('\n')
	return 0
}

// The till window and a `till sync` started at once on a new file: one migrates, the other
// waits for it and finds the schema done. Before, the schema version was read outside the
// migrating transaction, and the second failed with "table … already exists".
func TestConcurrentOpenOfNewFileMigratesOnce(t *testing.T) {
	const rounds, openers = 12, 4
	for round := range rounds {
		path := filepath.Join(t.TempDir(), "till.db")
		start := make(chan struct{})
		dbs := make([]*DB, openers)
		errs := make([]error, openers)
		var wg sync.WaitGroup
		for i := range openers {
			wg.Go(func() {
				<-start
				dbs[i], errs[i] = Open(context.Background(), path)
			})
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d, opener %d: %v", round, i, err)
			}
		}
		checkMigratedOnce(t, dbs[0])
		for _, db := range dbs {
			db.Close()
		}
	}
}

// The same with real processes: this test binary re-executed, released together.
func TestConcurrentOpenOfNewFileByProcesses(t *testing.T) {
	const rounds, children = 4, 3
	for round := range rounds {
		path := filepath.Join(t.TempDir(), "till.db")
		for i, err := range raceChildren(t, children, openChildEnv+"="+path) {
			if err != nil {
				t.Fatalf("round %d, process %d: %v", round, i, err)
			}
		}
		db, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		checkMigratedOnce(t, db)
		db.Close()
	}
}

func checkMigratedOnce(t *testing.T, db *DB) {
	t.Helper()
	var version, outboxes int
	if err := db.sql.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if err := db.sql.QueryRow("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'outbox'").Scan(&outboxes); err != nil {
		t.Fatal(err)
	}
	if version != SchemaVersion() || outboxes != 1 {
		t.Fatalf("user_version %d (want %d), %d outbox tables", version, SchemaVersion(), outboxes)
	}
}

// raceChildren starts n copies of this test binary with env, waits until each says it is
// ready, releases them together, and once each has opened (or failed) lets them close. It
// returns how each ended.
func raceChildren(t *testing.T, n int, env string) []error {
	t.Helper()
	type child struct {
		cmd    *exec.Cmd
		stdin  io.WriteCloser
		stdout *bufio.Reader
		stderr strings.Builder
	}
	kids := make([]*child, n)
	for i := range kids {
		c := &child{cmd: exec.Command(os.Args[0], "-test.run=^$")}
		c.cmd.Env = append(os.Environ(), env)
		c.cmd.Stderr = &c.stderr
		var err error
		if c.stdin, err = c.cmd.StdinPipe(); err != nil {
			t.Fatal(err)
		}
		stdout, err := c.cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		c.stdout = bufio.NewReader(stdout)
		if err := c.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.cmd.Process.Kill(); c.cmd.Wait() })
		kids[i] = c
	}
	for i, c := range kids {
		if line, err := c.stdout.ReadString('\n'); err != nil || line != "ready\n" {
			t.Fatalf("child %d: %q %v; stderr: %s", i, line, err, c.stderr.String())
		}
	}
	for _, c := range kids {
		io.WriteString(c.stdin, "open\n")
	}
	for _, c := range kids {
		c.stdout.ReadString('\n') // "opened", or nothing from a child that failed
	}
	for _, c := range kids {
		io.WriteString(c.stdin, "close\n")
	}
	errs := make([]error, n)
	for i, c := range kids {
		if err := c.cmd.Wait(); err != nil {
			errs[i] = fmt.Errorf("%v: %s", err, strings.TrimSpace(c.stderr.String()))
		}
	}
	return errs
}
