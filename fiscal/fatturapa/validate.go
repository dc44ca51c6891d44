package fatturapa

import (
	"errors"
	"fmt"
	"regexp"
)

// ErrInvalid is wrapped by every validation failure.
var ErrInvalid = errors.New("invalid invoice data")

// Reasons a field is rejected; the UI translates them (together with Field).
const (
	ReasonMissing  = "missing"
	ReasonFormat   = "format"
	ReasonChecksum = "checksum"
	ReasonTooLong  = "too-long"
	ReasonValue    = "value"
)

// FieldError names the field that is wrong and why, so the UI can point at it and explain in
// the cashier's language. Field is a dotted path such as "customer.vatNumber".
type FieldError struct {
	Field  string
	Reason string
	Value  string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("invoice field %s: %s (%q)", e.Field, e.Reason, e.Value)
}

func (e *FieldError) Unwrap() error { return ErrInvalid }

func fieldErr(field, reason, value string) error {
	return &FieldError{Field: field, Reason: reason, Value: value}
}

var (
	reDigits11 = regexp.MustCompile(`^[0-9]{11}$`)
	reCF16     = regexp.MustCompile(`^[A-Z0-9]{16}$`)
	reCodDest  = regexp.MustCompile(`^[A-Z0-9]{7}$`)
	reCAP      = regexp.MustCompile(`^[0-9]{5}$`)
	reProv     = regexp.MustCompile(`^[A-Z]{2}$`)
	reProgr    = regexp.MustCompile(`^[A-Za-z0-9]{1,10}$`)
	rePEC      = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// ValidPartitaIVA reports whether s is an Italian VAT number: 11 digits whose last is the
// Luhn-style check digit of the first ten.
func ValidPartitaIVA(s string) bool {
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

// ValidCodiceFiscale reports whether s is a person's codice fiscale (16 characters with its
// check letter; omocodia letters in digit positions are accepted) or a company's (11 digits, the
// same as its P.IVA).
func ValidCodiceFiscale(s string) bool {
	if reDigits11.MatchString(s) {
		return ValidPartitaIVA(s)
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

// ValidCodiceDestinatario reports whether s is an SdI recipient code: 7 capitals or digits.
func ValidCodiceDestinatario(s string) bool { return reCodDest.MatchString(s) }
