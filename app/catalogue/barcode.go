package catalogue

// ValidBarcode reports whether s is an EAN-13, EAN-8 or UPC-A code: only digits, of one of
// those lengths, with the right check digit. All three weigh the digits 3 and 1 alternately
// from the one left of the check digit, so one loop checks them all.
func ValidBarcode(s string) bool {
	switch len(s) {
	case 8, 12, 13:
	default:
		return false
	}
	sum := 0
	for i := len(s) - 2; i >= 0; i-- {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if (len(s)-2-i)%2 == 0 {
			d *= 3
		}
		sum += d
	}
	last := s[len(s)-1]
	return last >= '0' && last <= '9' && int(last-'0') == (10-sum%10)%10
}
