package epson

import (
	"strings"
	"testing"
)

func TestSplitAddressCarriesTheSerial(t *testing.T) {
	for _, tt := range []struct{ in, url, serial, bad string }{
		{in: "http://192.168.1.20", url: "http://192.168.1.20"},
		{in: "http://192.168.1.20?serial=99mey012345", url: "http://192.168.1.20", serial: "99MEY012345"},
		{in: "http://192.168.1.20:8080/cgi-bin?serial=99MEY012345&x=1", url: "http://192.168.1.20:8080/cgi-bin?x=1", serial: "99MEY012345"},
		{in: "http://192.168.1.20?serial=99-MEY", bad: "serial"},
		{in: "http://192.168.1.20?serial=123", bad: "serial"},
	} {
		url, serial, err := SplitAddress(tt.in)
		switch {
		case tt.bad != "":
			if err == nil || !strings.Contains(err.Error(), tt.bad) {
				t.Errorf("%s: %v, want an error naming the %s", tt.in, err, tt.bad)
			}
		case err != nil || url != tt.url || serial != tt.serial:
			t.Errorf("%s: %q %q %v, want %q %q", tt.in, url, serial, err, tt.url, tt.serial)
		}
	}
}
