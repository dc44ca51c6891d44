package catalogue

import (
	"strings"
	"testing"
)

func TestValidBarcode(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"4006381333931", true},  // EAN-13 printed on a German pen, the usual worked example
		{"5901234123457", true},  // EAN-13 of GS1's specification
		{"9780306406157", true},  // EAN-13 of a book (ISBN 978-0-306-40615-7)
		{"8001505005707", true},  // EAN-13 with the Italian 800 prefix
		{"96385074", true},       // EAN-8
		{"73513537", true},       // EAN-8
		{"036000291452", true},   // UPC-A
		{"012345678905", true},   // UPC-A
		{"0000000000000", true},  // all zeros: check digit 0
		{"4006381333932", false}, // check digit off by one
		{"4006381333930", false},
		{"5901234123450", false},
		{"96385075", false},
		{"036000291453", false},
		{"4006381333391", false},  // two digits swapped: the weights catch it
		{"400638133393", false},   // 12 digits: the EAN-13 without its last digit is no UPC-A
		{"40063813339311", false}, // 14 digits (GTIN-14) is not a product label barcode here
		{"1234567", false},
		{"", false},
		{"400638133393A", false},
		{"4006381 33931", false},
		{"-400638133393", false},
		{"٤٠٠٦٣٨١٣٣٣٩٣١", false}, // Arabic-Indic digits are not ASCII digits
	}
	for _, tt := range tests {
		if got := ValidBarcode(tt.code); got != tt.want {
			t.Errorf("ValidBarcode(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}

// TestValidBarcodeCatchesEveryWrongCheckDigit changes the check digit of valid codes of each
// length to each other digit: exactly one digit is right.
func TestValidBarcodeCatchesEveryWrongCheckDigit(t *testing.T) {
	for _, code := range []string{"4006381333931", "96385074", "036000291452", withCheckDigit("800123456789")} {
		right := 0
		for d := '0'; d <= '9'; d++ {
			if ValidBarcode(code[:len(code)-1] + string(d)) {
				right++
			}
		}
		if right != 1 || !ValidBarcode(code) {
			t.Errorf("%s: %d check digits accepted, want exactly its own", code, right)
		}
	}
}

func FuzzValidBarcode(f *testing.F) {
	for _, s := range []string{"4006381333931", "96385074", "036000291452", "", "12345678901234", "abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := ValidBarcode(s)
		digits := strings.Trim(s, "0123456789") == ""
		okLen := len(s) == 8 || len(s) == 12 || len(s) == 13
		if got && (!digits || !okLen) {
			t.Fatalf("ValidBarcode(%q) accepted a code that is not 8, 12 or 13 digits", s)
		}
		if digits && okLen && got != (withCheckDigit(s[:len(s)-1]) == s) {
			t.Fatalf("ValidBarcode(%q) = %v, disagrees with the check digit", s, got)
		}
	})
}
