// Package config is the configuration document of docs/spec/config.md, declared once for both
// ends: the back office (portal) builds and serves it, the till parses, caches and runs on it.
// It holds the document, its one validation (links included: see ValidLink) and the rules
// that decide whether Coverflex is offered on a till. It parses and decides only: it must never
// import Fyne or SQL, since the portal imports it; storage keeps the till's copy and the UI
// shows it.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"till/pos/link"
)

// Format is the document format this till reads.
const Format = 1

// The payment device models that take Coverflex: the Ingenico ECR17 profiles of pos, the only
// terminals the till drives. A device of any other model may be listed in the document, but it
// is not a Coverflex device and the till never uses it (CoverflexModel).
const (
	ModelEMW   = "Ingenico_EMW"
	ModelEMWIT = "Ingenico EMW_IT"
)

// CoverflexModel tells whether a device model is one of the two Coverflex models, spelt
// exactly so.
func CoverflexModel(model string) bool { return model == ModelEMW || model == ModelEMWIT }

// Document is the configuration one till receives. Unknown fields are ignored.
type Document struct {
	Format         int        `json:"format"`
	Version        int64      `json:"version"`
	Account        Account    `json:"account"`
	SalesPoint     SalesPoint `json:"sales_point"`
	Till           Till       `json:"till"`
	Tills          []Till     `json:"tills"`
	PaymentDevices []Device   `json:"payment_devices"`
}

// Account is step 1 of the portal.
type Account struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	CoverflexEnabled bool   `json:"coverflex_enabled"`
}

// SalesPoint carries steps 2 and 3.
type SalesPoint struct {
	ID                  string `json:"id"`
	Name                string `json:"name"`
	CoverflexVisible    bool   `json:"coverflex_visible"`
	CoverflexMerchantID string `json:"coverflex_merchant_id"`
}

// Till is one till (dispositivo di cassa) of the sales point.
type Till struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Device is a payment terminal (step 4) with the tills enabled to exchange amounts with it. The
// portal registers and lists devices with this same type.
type Device struct {
	ID           string            `json:"id"`
	Name         string            `json:"name"`
	Model        string            `json:"model"`
	TerminalID   string            `json:"terminal_id"`
	Link         string            `json:"link"`
	EnabledTills []string          `json:"enabled_tills"`
	Profile      map[string]string `json:"profile,omitempty"` // overrides of the model's defaults
}

// FieldError names the field of the document that is wrong and why.
type FieldError struct {
	Field   string // e.g. "payment_devices[1].terminal_id"
	Problem string // English, for logs; the UI translates by Code
	Code    string // a stable key: "missing", "format", "duplicate", "unknown_till", "json", "profile"
}

func (e *FieldError) Error() string { return fmt.Sprintf("config: %s: %s", e.Field, e.Problem) }

// ErrInvalid is wrapped by every validation error.
var ErrInvalid = errors.New("invalid configuration")

func (e *FieldError) Unwrap() error { return ErrInvalid }

// Parse reads and validates a document. A document that fails is returned with nil.
func Parse(data []byte) (*Document, error) {
	var d Document
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, &FieldError{Field: "(document)", Code: "json", Problem: "not valid JSON: " + err.Error()}
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return &d, nil
}

// Validate checks the rules of config.md; the first problem found is returned.
func (d *Document) Validate() error {
	if d.Format != Format {
		return &FieldError{Field: "format", Code: "format", Problem: fmt.Sprintf("is %d, this till reads format %d", d.Format, Format)}
	}
	if d.Version < 0 {
		return &FieldError{Field: "version", Code: "format", Problem: "must not be negative"}
	}
	if d.Till.ID == "" {
		return &FieldError{Field: "till.id", Code: "missing", Problem: "is missing"}
	}
	tills := map[string]bool{}
	for i, t := range d.Tills {
		if t.ID == "" {
			return &FieldError{Field: fmt.Sprintf("tills[%d].id", i), Code: "missing", Problem: "is missing"}
		}
		if tills[t.ID] {
			return &FieldError{Field: fmt.Sprintf("tills[%d].id", i), Code: "duplicate", Problem: fmt.Sprintf("%q appears twice", t.ID)}
		}
		tills[t.ID] = true
	}
	if !tills[d.Till.ID] {
		return &FieldError{Field: "till.id", Code: "unknown_till", Problem: fmt.Sprintf("%q is not one of tills", d.Till.ID)}
	}
	if m := d.SalesPoint.CoverflexMerchantID; m != "" && !ValidMerchantID(m) {
		return &FieldError{Field: "sales_point.coverflex_merchant_id", Code: "format", Problem: "must be printable ASCII, at most 32 characters"}
	}
	terminals := map[string]int{}
	for i, dev := range d.PaymentDevices {
		if err := dev.Validate(); err != nil {
			return devicePrefix(i, err)
		}
		if j, dup := terminals[dev.TerminalID]; dup && dev.TerminalID != "" {
			return &FieldError{Field: fmt.Sprintf("payment_devices[%d].terminal_id", i), Code: "duplicate",
				Problem: fmt.Sprintf("%s is also the Terminal ID of payment_devices[%d]", dev.TerminalID, j)}
		}
		terminals[dev.TerminalID] = i
		for k, t := range dev.EnabledTills {
			if !tills[t] {
				return &FieldError{Field: fmt.Sprintf("payment_devices[%d].enabled_tills[%d]", i, k), Code: "unknown_till",
					Problem: fmt.Sprintf("%q is not one of tills", t)}
			}
		}
	}
	return nil
}

// Validate checks what a device says of itself, apart from the rest of the document (unique
// Terminal IDs, known tills): the model is named; a Coverflex device has its 8-digit Terminal
// ID, any other device may have none but not a malformed one; the link is one Dial accepts.
// A device of another model is checked too, so a document listing it stays well-formed. The
// FieldError names the device's own field ("link"); Document.Validate puts it in its place.
func (dev Device) Validate() error {
	switch {
	case dev.Model == "":
		return &FieldError{Field: "model", Code: "missing", Problem: "is missing"}
	case dev.TerminalID == "" && CoverflexModel(dev.Model):
		return &FieldError{Field: "terminal_id", Code: "missing", Problem: "is missing"}
	case dev.TerminalID != "" && !ValidTerminalID(dev.TerminalID):
		return &FieldError{Field: "terminal_id", Code: "format", Problem: fmt.Sprintf("%q is not 8 digits", dev.TerminalID)}
	}
	if err := ValidLink(dev.Link); err != nil {
		return &FieldError{Field: "link", Code: "format", Problem: err.Error()}
	}
	return nil
}

// devicePrefix places a device's FieldError in the document: "link" → "payment_devices[1].link".
func devicePrefix(i int, err error) error {
	var fe *FieldError
	if !errors.As(err, &fe) {
		return err
	}
	return &FieldError{Field: fmt.Sprintf("payment_devices[%d].%s", i, fe.Field), Code: fe.Code, Problem: fe.Problem}
}

// ValidMerchantID tells whether s can be a Coverflex Merchant ID: printable ASCII, at most 32
// characters, not blank. The portal's form and the till's parser both use it.
func ValidMerchantID(s string) bool {
	if len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return strings.TrimSpace(s) != ""
}

// ValidTerminalID tells whether s is a Terminal ID: exactly 8 digits.
func ValidTerminalID(s string) bool {
	if len(s) != 8 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ValidLink checks a link with the very function the till dials it with (link.Parse):
// tcp://HOST:PORT with a port 1-65535, or serial:///ABSOLUTE/PATH or serial://COMn (Windows) with optional baud (one of
// link.Bauds) and parity (none, even, odd). The back office checks links with it too, so it
// can never store one that every till of the sales point would refuse.
func ValidLink(s string) error {
	_, err := link.Parse(s)
	return err
}
