// Package taxid checks Italian tax identifiers: the partita IVA and the codice fiscale, with
// their check characters. It knows no document format; invoices and customer forms use it.
package taxid

import "regexp"

var (
	reDigits11 = regexp.MustCompile(`^[0-9]{11}$`)
	reCF16     = regexp.MustCompile(`^[A-Z0-9]{16}$`)
)

// PartitaIVA reports whether s is an Italian VAT number: 11 digits whose last is the
// Luhn-style check digit of the first ten.
func PartitaIVA(s string) bool {
	if !reDigits11.MatchString(s) {
		return false
	}
	sum := 0
	for i := 0; i < 10; i++ {
		d := int(s[i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return (10-sum%10)%10 == int(s[10]-'0')
}

// cfOdd is the value of a character in an odd (1st, 3rd, …) position of a codice fiscale;
// index 0–9 for digits, 10–35 for A–Z.
var cfOdd = [36]int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21,
	1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23}

// CodiceFiscale reports whether s is a person's codice fiscale (16 characters with its
// check letter; omocodia letters in digit positions are accepted) or a company's (11 digits, the
// same as its P.IVA).
func CodiceFiscale(s string) bool {
	if reDigits11.MatchString(s) {
		return PartitaIVA(s)
	}
	if !reCF16.MatchString(s) {
		return false
	}
	sum := 0
	for i := 0; i < 15; i++ {
		c := s[i]
		idx := int(c - '0')
		if c >= 'A' {
			idx = int(c-'A') + 10
		}
		if i%2 == 0 {
			sum += cfOdd[idx]
		} else if c >= 'A' {
			sum += int(c - 'A')
		} else {
			sum += int(c - '0')
		}
	}
	return s[15] == byte('A'+sum%26)
}
