package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
)

func TestParseSizeReadsWidthByHeight(t *testing.T) {
	for in, want := range map[string]fyne.Size{"1024x768": {Width: 1024, Height: 768}, " 1920X1080 ": {Width: 1920, Height: 1080}} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "1024", "1024x", "x768", "big", "1024x768x2", "100x100", "-1024x768", "1024,768"} {
		if got, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) = %v, want an error", in, got)
		}
	}
}

func TestBadSizesAreRefusedWithTheExpectedForm(t *testing.T) {
	for _, args := range [][]string{{"-window", "grande"}, {"screenshots", t.TempDir(), "--size", "1024"}} {
		var out, errOut bytes.Buffer
		if code := run(args, &out, &errOut); code != 2 {
			t.Fatalf("%v: exit %d, want 2", args, code)
		}
		if !strings.Contains(errOut.String(), "1024x768") {
			t.Fatalf("%v: the message does not show the form expected: %s", args, errOut.String())
		}
	}
}

// windowGeometry is the size of the mapped window titled title, as the X server has it.
func windowGeometry(t *testing.T, display, title string) (int, int) {
	t.Helper()
	cmd := exec.Command("xwininfo", "-name", title)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("xwininfo: %v", err)
	}
	size := func(field string) int {
		m := regexp.MustCompile(field + `:\s+(\d+)`).FindSubmatch(out)
		if m == nil {
			t.Fatalf("xwininfo gave no %s:\n%s", field, out)
		}
		n, _ := strconv.Atoi(string(m[1]))
		return n
	}
	return size("Width"), size("Height")
}

// The till opens full screen, on the 1280×800 screen of the test's X server, and -window opens
// a window of the size asked instead; neither grows past the screen.
func TestTillOpensFullScreenOrAtTheWindowSizeAsked(t *testing.T) {
	display := startXvfb(t) // 1280×800
	bin := buildTill(t)
	for _, c := range []struct {
		args          []string
		width, height int
	}{
		{nil, 1280, 800},
		{[]string{"-window", "1024x768"}, 1024, 768},
	} {
		db := filepath.Join(t.TempDir(), "till.db")
		till := startTillWith(t, bin, display, append([]string{"-db", db}, c.args...)...)
		if !windowShown(display, "Cassa", time.Now().Add(60*time.Second)) {
			t.Fatalf("%v: the till window did not appear within 60 s", c.args)
		}
		// The window takes its size once mapped; the catalogue loads meanwhile.
		var w, h int
		for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
			if w, h = windowGeometry(t, display, "Cassa"); w == c.width && h == c.height {
				break
			}
		}
		if w != c.width || h != c.height {
			t.Fatalf("%v: window %dx%d, want %dx%d", c.args, w, h, c.width, c.height)
		}
		till.cmd.Process.Kill()
		<-till.exited
		till.exited <- nil // the cleanup reads it again
	}
}
