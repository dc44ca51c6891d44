package main

import (
	"bytes"
	"strings"
	"testing"
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
	} {
		var out, errOut bytes.Buffer
		if code := run(tc.args, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), tc.errHas) {
			t.Errorf("%v: exit %d, stderr %q", tc.args, code, errOut.String())
		}
	}
}
