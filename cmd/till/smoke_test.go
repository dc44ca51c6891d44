package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"till/storage"
)

// buildTill compiles this command with cgo (the desktop driver) into a temp folder.
func buildTill(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "till")
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startXvfb starts a virtual X server on a free display and returns it (":N").
func startXvfb(t testing.TB) string {
	t.Helper()
	xvfb, err := exec.LookPath("Xvfb")
	if err != nil {
		t.Skip("Xvfb is not installed: run scripts/deps.sh (apt-get install xvfb) to run the desktop smoke test")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(xvfb, "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case n := <-line:
		if _, err := strconv.Atoi(n); err != nil {
			t.Fatalf("Xvfb gave display %q", n)
		}
		return ":" + n
	case <-time.After(20 * time.Second):
		t.Fatal("Xvfb did not start in 20 s")
	}
	return ""
}

// windowShown polls the X server until a window titled title is mapped, or the deadline.
func windowShown(display, title string, deadline time.Time) bool {
	for time.Now().Before(deadline) {
		cmd := exec.Command("xwininfo", "-root", "-tree")
		cmd.Env = append(os.Environ(), "DISPLAY="+display)
		out, _ := cmd.Output()
		if bytes.Contains(out, []byte(`"`+title+`"`)) {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// running is a till process; exited receives its Wait result exactly once (Wait must not be
// called twice: a second Wait racing the first blocks for ever).
type running struct {
	cmd    *exec.Cmd
	exited chan error
}

func startTill(t testing.TB, bin, display, db string) *running {
	t.Helper()
	return startTillWith(t, bin, display, "-db", db)
}

func startTillWith(t testing.TB, bin, display string, args ...string) *running {
	t.Helper()
	cmd := exec.Command(bin, args...)
	// No D-Bus session for the test window: nothing to auto-launch and leave behind.
	cmd.Env = append(os.Environ(), "DISPLAY="+display, "LANG=it_IT.UTF-8", "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 2 * time.Second // do not wait on output pipes a stray child may hold
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := &running{cmd: cmd, exited: make(chan error, 1)}
	go func() { r.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		select {
		case <-r.exited:
		case <-time.After(10 * time.Second):
			t.Errorf("the till did not exit after SIGKILL")
		}
		if t.Failed() {
			t.Logf("till output:\n%s", out.String())
		}
	})
	return r
}

func TestTillWindowStaysUpUnderXvfbAndWritesItsDB(t *testing.T) {
	display := startXvfb(t)
	if _, err := exec.LookPath("xwininfo"); err != nil {
		t.Fatal("xwininfo is missing: apt-get install x11-utils (scripts/deps.sh does it)")
	}
	bin := buildTill(t)
	db := filepath.Join(t.TempDir(), "data", "till.db")
	till := startTill(t, bin, display, db)
	if !windowShown(display, "Cassa", time.Now().Add(60*time.Second)) {
		t.Fatal("the till window did not appear within 60 s")
	}
	select {
	case err := <-till.exited:
		t.Fatalf("the till exited after showing its window: %v", err)
	case <-time.After(3 * time.Second):
	}
	ctx := context.Background()
	d, err := storage.Open(ctx, db)
	if err != nil {
		t.Fatalf("the till's database: %v", err)
	}
	defer d.Close()
	deps, err := d.Departments(ctx)
	if err != nil || len(deps) < 4 {
		t.Fatalf("the demo departments were not written: %d, %v", len(deps), err)
	}
}

func TestTillRefusesAFileThatIsNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(path, []byte("not a database"), 0o600)
	var out, errOut bytes.Buffer
	if code := run([]string{"-db", path}, &out, &errOut); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	// Italian, the language of a test run with no language set, with the detail on its own line.
	if !strings.Contains(errOut.String(), "non è un database") || !strings.Contains(errOut.String(), "\n  dettaglio: ") {
		t.Fatalf("message: %s", errOut.String())
	}
	if data, _ := os.ReadFile(path); string(data) != "not a database" {
		t.Fatal("the file was changed")
	}
}

func TestScreenshotsCommandWritesPNGs(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	if code := run([]string{"screenshots", dir}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, name := range []string{"sale.png", "payment.png", "payment-coverflex.png", "pos-prompt.png", "exchange.png", "declined.png", "journal.png",
		"help.png", "clear-sale.png", "unknown.png", "hand.png", "print-check.png", "settings.png"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || len(data) < 10000 {
			t.Fatalf("%s: %v", name, err)
		}
		// Without --size, the smallest screen the till supports.
		if cfg, err := png.DecodeConfig(bytes.NewReader(data)); err != nil || cfg.Width != 1024 || cfg.Height != 768 {
			t.Fatalf("%s is %dx%d (%v), want 1024x768", name, cfg.Width, cfg.Height, err)
		}
	}
}

// BenchmarkColdStart measures starting the till binary until its window is mapped under Xvfb,
// and reports its resident memory once shown.
// Only the till's own start is timed: Xvfb and the build are ready before the clock starts.
func BenchmarkColdStart(b *testing.B) {
	b.StopTimer()
	display := startXvfb(b)
	bin := buildTill(b)
	var rssTotal float64
	for i := 0; i < b.N; i++ {
		db := filepath.Join(b.TempDir(), fmt.Sprintf("till-%d.db", i))
		b.StartTimer()
		till := startTill(b, bin, display, db)
		if !windowShown(display, "Cassa", time.Now().Add(60*time.Second)) {
			b.Fatal("no window")
		}
		b.StopTimer()
		time.Sleep(time.Second)
		status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", till.cmd.Process.Pid))
		for _, l := range strings.Split(string(status), "\n") {
			if strings.HasPrefix(l, "VmRSS:") {
				kb, _ := strconv.Atoi(strings.Fields(l)[1])
				rssTotal += float64(kb)
			}
		}
		till.cmd.Process.Kill()
		<-till.exited
		till.exited <- nil // the cleanup reads it again
	}
	b.ReportMetric(rssTotal/float64(b.N)/1024, "RSS-MiB")
}
