package tillsync

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// portalProcess is the real back office binary, so it can be killed with SIGKILL.
type portalProcess struct {
	cmd *exec.Cmd
	url string
}

func buildPortal(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "portal")
	build := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", bin, "till/cmd/portal")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the portal: %v\n%s", err, out)
	}
	return bin
}

// startPortal runs the portal on listen and returns once it prints its address.
func startPortal(t *testing.T, bin, db, listen string) *portalProcess {
	t.Helper()
	cmd := exec.Command(bin, "-listen", listen, "-db", db)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(out)
		for s.Scan() {
			if i := strings.Index(s.Text(), "http://"); i >= 0 {
				line <- strings.Fields(s.Text()[i:])[0]
			}
		}
	}()
	select {
	case url := <-line:
		return &portalProcess{cmd: cmd, url: url}
	case <-time.After(20 * time.Second):
		t.Fatal("the portal did not start")
	}
	return nil
}

// TestPortalKilledMidPushAndRestartedGetsEverySaleOnce kills the portal process with SIGKILL
// while the till is pushing, restarts it on the same database and address, and checks that
// every sale is stored exactly once and the till's outbox ends empty.
func TestPortalKilledMidPushAndRestartedGetsEverySaleOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the portal binary")
	}
	bin := buildPortal(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "portal.db")
	seed, err := exec.Command(bin, "seed-demo", "-db", db, "--json").Output()
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	var demo struct {
		Tills []struct {
			ID             string `json:"id"`
			ActivationCode string `json:"activation_code"`
		} `json:"tills"`
	}
	if err := json.Unmarshal(seed, &demo); err != nil || len(demo.Tills) == 0 {
		t.Fatalf("seed output %s: %v", seed, err)
	}
	p := startPortal(t, bin, db, "127.0.0.1:0")
	listen := strings.TrimPrefix(p.url, "http://")

	b := openTill(t)
	sell(t, b, 1)
	queueCopies(t, b.DB, template(t, b.DB), 4999)
	c := &Client{DB: b.DB}
	if _, err := c.Activate(context.Background(), p.url, demo.Tills[0].ActivationCode); err != nil {
		t.Fatal(err)
	}

	pushed := make(chan error, 1)
	go func() {
		_, err := c.PushSales(context.Background())
		pushed <- err
	}()
	// Kill a few milliseconds after the first batch is acknowledged: the portal takes tens of
	// milliseconds to store the next 500, so it dies in the middle of one.
	for wait := time.Now().Add(20 * time.Second); outboxCount(t, b.DB) == 5000 && time.Now().Before(wait); {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(8 * time.Millisecond)
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()
	firstErr := <-pushed
	if firstErr == nil && outboxCount(t, b.DB) > 0 {
		t.Fatal("the push said done with sales left")
	}
	left := outboxCount(t, b.DB)

	startPortal(t, bin, db, listen) // same database, same address: the till's URL holds
	deadline := time.Now().Add(30 * time.Second)
	for outboxCount(t, b.DB) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("outbox still holds %d", outboxCount(t, b.DB))
		}
		if _, err := c.PushSales(context.Background()); err != nil && !errors.Is(err, ErrUnreachable) {
			t.Fatalf("push after restart: %v", err)
		}
	}
	st, err := c.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.SalesReceived != 5000 {
		t.Fatalf("portal holds %d sales, want exactly 5000 (push error before the kill: %v; %d left then)", st.SalesReceived, firstErr, left)
	}
	t.Logf("killed with %d of 5000 sales still in the outbox (first push: %v)", left, firstErr)
}
