package link

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestParseAcceptsTheTwoFormsOnly(t *testing.T) {
	for _, tc := range []struct {
		in     string
		want   Addr
		errHas string
	}{
		{"tcp://192.168.1.50:9100", Addr{Scheme: "tcp", Host: "192.168.1.50:9100"}, ""},
		{"serial:///dev/ttyUSB0", Addr{Scheme: "serial", Path: "/dev/ttyUSB0", Baud: 9600, Parity: "none"}, ""},
		{"serial:///dev/ttyS1?baud=115200&parity=even", Addr{Scheme: "serial", Path: "/dev/ttyS1", Baud: 115200, Parity: "even"}, ""},
		{"192.168.1.50:9100", Addr{}, `want "tcp://HOST:PORT" or "serial:///dev/ttyUSB0`},
		{"tcp://192.168.1.50", Addr{}, "port is required"},
		{"tcp://host:99999", Addr{}, "1-65535"},
		{"serial://dev/ttyUSB0", Addr{}, "three slashes"},
		{"serial:///dev/ttyUSB0?baud=fast", Addr{}, "baud"},
		{"serial:///dev/ttyUSB0?parity=mark", Addr{}, "parity"},
		{"serial:///dev/ttyUSB0?stop=2", Addr{}, "unknown option"},
		{"http://x:1", Addr{}, "serial:///dev/ttyUSB0?baud=9600&parity=none"},
	} {
		got, err := Parse(tc.in)
		if tc.errHas != "" {
			if !errors.Is(err, ErrBadLink) || !strings.Contains(err.Error(), tc.errHas) {
				t.Errorf("%q: err %v, want %q", tc.in, err, tc.errHas)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: %+v %v", tc.in, got, err)
		}
	}
}

func TestDialReportsMissingSerialPort(t *testing.T) {
	_, err := Dial(context.Background(), "serial:///dev/ttyDOESNOTEXIST9", Options{})
	if err == nil || !strings.Contains(err.Error(), "/dev/ttyDOESNOTEXIST9 does not exist") {
		t.Fatalf("err %v", err)
	}
}
