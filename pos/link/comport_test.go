package link

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// A Windows till names its terminal's port, not a device path: docs/install.md tells installers
// to write serial://COM3?baud=9600.
func TestParseWindowsPort(t *testing.T) {
	for _, tc := range []struct {
		in     string
		want   Addr
		errHas string
	}{
		{"serial://COM3?baud=9600", Addr{Scheme: "serial", Path: "COM3", Baud: 9600, Parity: "none"}, ""},
		{"serial://COM3", Addr{Scheme: "serial", Path: "COM3", Baud: 9600, Parity: "none"}, ""},
		{"serial://com12?baud=115200&parity=even", Addr{Scheme: "serial", Path: "COM12", Baud: 115200, Parity: "even"}, ""},
		{"serial://COM256", Addr{Scheme: "serial", Path: "COM256", Baud: 9600, Parity: "none"}, ""},
		{"serial://COM0", Addr{}, "three slashes"},
		{"serial://COM257", Addr{}, "three slashes"},
		{"serial://COM03", Addr{}, "three slashes"},
		{"serial://COM", Addr{}, "three slashes"},
		{"serial://LPT1", Addr{}, "three slashes"},
		{"serial://COM3:9600", Addr{}, "three slashes"},
		{"serial://user@COM3", Addr{}, "three slashes"},
		{"serial://COM3/", Addr{}, "three slashes"},
		{"serial://COM3#x", Addr{}, "three slashes"},
		{"serial://COM3?baud=96000", Addr{}, "is not one of"},
		{"serial://COM3?parity=mark", Addr{}, "parity"},
		{"serial://COM3?stop=2", Addr{}, "unknown option"},
	} {
		got, err := Parse(tc.in)
		if tc.errHas != "" {
			if !errors.Is(err, ErrBadLink) || !strings.Contains(err.Error(), tc.errHas) {
				t.Errorf("%q: err %v, want %q", tc.in, err, tc.errHas)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: %+v %v, want %+v", tc.in, got, err, tc.want)
		}
	}
}

// The till's settings show a link as Addr.String and save it back: a Windows port must survive.
func TestWindowsPortRoundTrips(t *testing.T) {
	a, err := Parse("serial://com4?parity=odd")
	if err != nil {
		t.Fatal(err)
	}
	if s := a.String(); s != "serial://COM4?baud=9600&parity=odd" {
		t.Fatalf("String() = %q", s)
	}
	if b, err := Parse(a.String()); err != nil || b != a {
		t.Fatalf("Parse(String()) = %+v %v, want %+v", b, err, a)
	}
}

// Dial hands the port name to the serial library as written, which on Windows opens \\.\COM3.
// Here a file named COM3 in the working folder stands for the port: a pseudo-terminal, so bytes
// written to the link arrive at the other end.
func TestDialOpensWindowsPortByName(t *testing.T) {
	master, slave, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer master.Close()
	defer slave.Close()
	dir := t.TempDir()
	if err := os.Symlink(slave.Name(), filepath.Join(dir, "COM3")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)

	l, err := Dial(context.Background(), "serial://COM3?baud=9600", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if l.String() != "serial://COM3?baud=9600&parity=none" {
		t.Errorf("String() = %q", l.String())
	}
	c, err := l.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Write([]byte("\x02ping\x03")); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 0, 6)
	buf := make([]byte, 6)
	deadline := time.Now().Add(5 * time.Second)
	for len(got) < 6 && time.Now().Before(deadline) {
		master.SetReadDeadline(deadline)
		n, err := master.Read(buf)
		if err != nil {
			t.Fatalf("read the other end: %v (got %q)", err, got)
		}
		got = append(got, buf[:n]...)
	}
	if string(got) != "\x02ping\x03" {
		t.Fatalf("the other end read %q", got)
	}
}

func TestDialReportsMissingWindowsPort(t *testing.T) {
	t.Chdir(t.TempDir())
	_, err := Dial(context.Background(), "serial://COM9?baud=9600", Options{})
	if err == nil || !strings.Contains(err.Error(), "COM9") {
		t.Fatalf("err %v, want one naming COM9", err)
	}
}
