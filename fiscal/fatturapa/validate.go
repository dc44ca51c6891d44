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
	reCodDest = regexp.MustCompile(`^[A-Z0-9]{7}$`)
	reCAP     = regexp.MustCompile(`^[0-9]{5}$`)
	reProv    = regexp.MustCompile(`^[A-Z]{2}$`)
	reProgr   = regexp.MustCompile(`^[A-Za-z0-9]{1,10}$`)
	rePEC     = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// ValidCodiceDestinatario reports whether s is an SdI recipient code: 7 capitals or digits.
func ValidCodiceDestinatario(s string) bool { return reCodDest.MatchString(s) }
