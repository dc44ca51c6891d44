package main

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"till/pos/ecrsim"
)

func TestBadFlagsExit2WithAReason(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		errHas string
	}{
		{nil, "exactly one of -listen ADDR or -pty"},
		{[]string{"-listen", "127.0.0.1:0", "-pty"}, "exactly one"},
		{[]string{"-listen", "127.0.0.1:0", "-scenario", "explode"}, `unknown scenario "explode"`},
		{[]string{"-listen", "127.0.0.1:0", "-lrc", "crc"}, "unknown LRC mode"},
		{[]string{"-listen", "127.0.0.1:0", "-terminal-id", "123"}, "8 digits"},
		{[]string{"-bogus"}, "flag provided but not defined"},
		{[]string{"-listen", "127.0.0.1:0", "-last-result", "never"}, `unknown last-result mode "never"`},
		{[]string{"-listen", "127.0.0.1:0", "-stan-start", "1000000"}, "STAN start"},
		{[]string{"-listen", "127.0.0.1:0", "-foreign-terminal-id", "12345678"}, "foreign terminal id"},
		{[]string{"-listen", "127.0.0.1:0", "-work-delay", "soon"}, "invalid value"},
	} {
		var out, errOut bytes.Buffer
		if code := run(tc.args, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), tc.errHas) {
			t.Errorf("%v: exit %d, stderr %q", tc.args, code, errOut.String())
		}
	}
}

func TestFlagsConfigureTheSimulator(t *testing.T) {
	o, ok := configure([]string{"-listen", "127.0.0.1:0", "-scenario", "keep-working", "-work-delay", "3s",
		"-last-result", "late", "-result-delay", "4s", "-stan-start", "41", "-foreign-terminal-id", "11112222"}, io.Discard)
	want := ecrsim.Config{TerminalID: "12345678", Scenario: ecrsim.KeepWorking, WorkDelay: 3 * time.Second,
		LastResult: ecrsim.LastResultLate, ResultDelay: 4 * time.Second, STANStart: 41, ForeignTerminalID: "11112222"}
	if !ok || o.listen != "127.0.0.1:0" || o.cfg != want {
		t.Fatalf("%+v, want %+v", o.cfg, want)
	}
	if _, err := ecrsim.New(o.cfg); err != nil {
		t.Fatal(err)
	}
}
