package epson

import (
	"fmt"
	neturl "net/url"
	"strings"
)

// SplitAddress splits a printer URL into the address the driver calls and the printer's
// serial (matricola) given as ?serial=…: the printer contract documents no way to ask the
// printer for it, and it is printed on the printer's label and on every receipt, so the
// installer writes it once in the URL every command already takes. Voids and refunds refer to
// it; without it they are refused unless the printer volunteers it.
func SplitAddress(raw string) (url, serial string, err error) {
	u, err := neturl.Parse(raw)
	if err != nil {
		return "", "", fmt.Errorf("printer address %q: %w", raw, err)
	}
	q := u.Query()
	serial = strings.ToUpper(strings.TrimSpace(q.Get("serial")))
	if serial != "" && !validSerial(serial) {
		return "", "", fmt.Errorf("printer serial %q: 6 to 20 letters and digits, as on the printer's label", serial)
	}
	q.Del("serial")
	u.RawQuery = q.Encode()
	return u.String(), serial, nil
}

func validSerial(s string) bool {
	if len(s) < 6 || len(s) > 20 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}
