// Package config is the till's view of the back office configuration (docs/spec/config.md):
// the document, its validation, and the rules that decide whether Coverflex is offered on this
// till. It parses and decides only; storage keeps the last valid copy and the UI shows it.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Format is the document format this till reads.
const Format = 1

// The payment device models the portal accepts for Coverflex.
const (
	ModelEMW   = "Ingenico_EMW"
	ModelEMWIT = "Ingenico EMW_IT"
)

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

// Device is a payment terminal (step 4) with the tills enabled to exchange amounts with it.
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
	Code    string // a stable key: "missing", "format", "unknown_model", "duplicate", "unknown_till", "json"
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
	if m := d.SalesPoint.CoverflexMerchantID; m != "" && !validMerchantID(m) {
		return &FieldError{Field: "sales_point.coverflex_merchant_id", Code: "format", Problem: "must be printable ASCII, at most 32 characters"}
	}
	terminals := map[string]int{}
	for i, dev := range d.PaymentDevices {
		field := func(name string) string { return fmt.Sprintf("payment_devices[%d].%s", i, name) }
		if dev.Model != ModelEMW && dev.Model != ModelEMWIT {
			return &FieldError{Field: field("model"), Code: "unknown_model",
				Problem: fmt.Sprintf("%q is not %q or %q", dev.Model, ModelEMW, ModelEMWIT)}
		}
		if dev.TerminalID == "" {
			return &FieldError{Field: field("terminal_id"), Code: "missing", Problem: "is missing"}
		}
		if !ValidTerminalID(dev.TerminalID) {
			return &FieldError{Field: field("terminal_id"), Code: "format", Problem: fmt.Sprintf("%q is not 8 digits", dev.TerminalID)}
		}
		if j, dup := terminals[dev.TerminalID]; dup {
			return &FieldError{Field: field("terminal_id"), Code: "duplicate",
				Problem: fmt.Sprintf("%s is also the Terminal ID of payment_devices[%d]", dev.TerminalID, j)}
		}
		terminals[dev.TerminalID] = i
		if err := ValidLink(dev.Link); err != nil {
			return &FieldError{Field: field("link"), Code: "format", Problem: err.Error()}
		}
		for k, t := range dev.EnabledTills {
			if !tills[t] {
				return &FieldError{Field: fmt.Sprintf("payment_devices[%d].enabled_tills[%d]", i, k), Code: "unknown_till",
					Problem: fmt.Sprintf("%q is not one of tills", t)}
			}
		}
	}
	return nil
}

func validMerchantID(s string) bool {
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

// ValidLink checks the two link forms: tcp://host:port and serial:///dev/NAME?baud=N.
func ValidLink(link string) error {
	u, err := url.Parse(link)
	if err != nil {
		return fmt.Errorf("%q is not tcp://host:port or serial:///dev/…?baud=N", link)
	}
	switch u.Scheme {
	case "tcp":
		port, perr := strconv.Atoi(u.Port())
		if u.Hostname() == "" || perr != nil || port < 1 || port > 65535 || u.Path != "" {
			return fmt.Errorf("%q is not tcp://host:port", link)
		}
	case "serial":
		if u.Host != "" || !strings.HasPrefix(u.Path, "/dev/") {
			return fmt.Errorf("%q is not serial:///dev/…?baud=N", link)
		}
		if b := u.Query().Get("baud"); b != "" {
			if n, err := strconv.Atoi(b); err != nil || n <= 0 {
				return fmt.Errorf("%q has a bad baud rate", link)
			}
		}
	default:
		return fmt.Errorf("%q is not tcp://host:port or serial:///dev/…?baud=N", link)
	}
	return nil
}
