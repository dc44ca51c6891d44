package storage

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The quick check, which reads the whole file, runs at open only when the last process that
// had the database open did not close it: not after a clean close, not while another process
// (the window beside `till sync`) has it open, and once after that process was killed.
func TestOpenChecksOnlyAfterAnUncleanShutdown(t *testing.T) {
	ctx := context.Background()
	reopen := func(t *testing.T, path string) bool {
		t.Helper()
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.OutboxCount(ctx); err != nil {
			t.Fatal(err)
		}
		return db.checked
	}

	t.Run("closed cleanly", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "till.db")
		other := startOpener(t, path)
		other.close(t)
		if _, err := os.Stat(path + "-wal"); err == nil {
			t.Fatal("a clean close left the log")
		}
		if reopen(t, path) {
			t.Fatal("checked after a clean close")
		}
	})

	t.Run("open in another process", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "till.db")
		other := startOpener(t, path)
		// What would look like a crash, were the file not open.
		if info, err := os.Stat(path + "-wal"); err != nil || info.Size() == 0 {
			t.Fatalf("the other process left no frames in the log (%v)", err)
		}
		if reopen(t, path) {
			t.Fatal("checked while another process had the file open")
		}
		other.close(t)
	})

	t.Run("killed", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "till.db")
		other := startOpener(t, path)
		other.kill(t)
		if !reopen(t, path) {
			t.Fatal("not checked after the process holding the file was killed")
		}
		if reopen(t, path) {
			t.Fatal("checked again after the checked open closed cleanly")
		}
	})
}

// opener is this test binary run as the child of open_race_test.go: it opens a database
// (migrating a new file writes the log) and holds it open until told to close.
type opener struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
}

func startOpener(t *testing.T, path string) *opener {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), openChildEnv+"="+path)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := bufio.NewReader(out)
	if line, _ := lines.ReadString('\n'); line != "ready\n" {
		t.Fatalf("child: %q; %s", line, stderr.String())
	}
	io.WriteString(stdin, "open\n")
	if line, _ := lines.ReadString('\n'); line != "opened\n" {
		t.Fatalf("child: %q; %s", line, stderr.String())
	}
	return &opener{cmd: cmd, stdin: stdin}
}

func (o *opener) close(t *testing.T) {
	t.Helper()
	io.WriteString(o.stdin, "close\n")
	if err := o.cmd.Wait(); err != nil {
		t.Fatalf("child: %v", err)
	}
}

func (o *opener) kill(t *testing.T) {
	t.Helper()
	if err := o.cmd.Process.Kill(); err != nil { // SIGKILL: no chance to close anything
		t.Fatal(err)
	}
	o.cmd.Wait()
}
