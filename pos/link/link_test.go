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
		{"tcp://host:0", Addr{}, "1-65535"},
		{"tcp://host:9100/x", Addr{}, "nothing may follow the port"},
		{"tcp://host:9100?timeout=5", Addr{}, "nothing may follow the port"},
		{"tcp://user@host:9100", Addr{}, "nothing may follow the port"},
		{"serial:/dev/ttyUSB0", Addr{}, "three slashes"},
		{"serial:///dev/", Addr{}, "absolute path of a device"},
		{"serial:///dev/../ttyUSB0", Addr{}, "absolute path of a device"},
		{"serial:///dev/ttyUSB0?baud=96000", Addr{}, "is not one of [1200"},
		{"serial:///dev/ttyUSB0?baud=0", Addr{}, "is not one of"},
		{"serial:///dev/ttyUSB0?baud=", Addr{}, "given once, with a value"},
		{"serial:///dev/ttyUSB0?baud=9600&baud=19200", Addr{}, "given once, with a value"},
		{"serial:///dev/serial/by-id/usb-Ingenico-if00?parity=odd", Addr{Scheme: "serial", Path: "/dev/serial/by-id/usb-Ingenico-if00", Baud: 9600, Parity: "odd"}, ""},
		{"tcp://[fe80::1]:9100", Addr{Scheme: "tcp", Host: "[fe80::1]:9100"}, ""},
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
