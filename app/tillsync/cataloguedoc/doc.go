// Package cataloguedoc is the catalogue document of docs/spec/sync.md (GET /api/v1/catalogue):
// the JSON a back office serves and a till applies. It is declared once, here, for the portal
// that builds it and the till that reads it, and checked with the till's own catalogue rules
// (catalogue.Snapshot.Check), so the portal can refuse to serve a document a till would refuse.
// It never touches a database or the network.
package cataloguedoc

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"till/app/catalogue"
	"till/app/checkout"
	"till/money"
)

// Format is the format this till reads; a document of another format is refused whole.
const Format = 1

// Document is a whole catalogue of a sales point at one version. Products name their
// department by number and their category by name, as a catalogue file does, so the document
// reads like the shop's own list and carries none of the back office's ids.
type Document struct {
	Format      int          `json:"format"`
	Version     int64        `json:"version"`
	Departments []Department `json:"departments"` // in button order
	Categories  []Category   `json:"categories"`
	Products    []Product    `json:"products"` // the products for sale; a till deactivates any other
}

// Department is a reparto: VATRate in hundredths of a percent, Nature (N1…N7) only with 0.
type Department struct {
	Number  int    `json:"number"`
	Name    string `json:"name"`
	VATRate int64  `json:"vat_rate"`
	Nature  string `json:"nature,omitempty"`
}

// Category groups products on the sale screen.
type Category struct {
	Name     string `json:"name"`
	Position int    `json:"position"`
}

// Product is one product for sale; Category "" is none. A product the back office deactivated
// is not in the document at all: a till deactivates the products it does not list (their sales
// keep referring to them), so a smaller document says the same.
type Product struct {
	Code       string   `json:"code"`
	Barcodes   []string `json:"barcodes,omitempty"`
	Name       string   `json:"name"`
	PriceCents int64    `json:"price_cents"`
	Department int      `json:"department"`
	Category   string   `json:"category,omitempty"`
}

// ErrInvalid is wrapped by every refusal of Parse and Check: the whole document is refused.
var ErrInvalid = errors.New("invalid catalogue document")

// FormatError is a document that cannot be read at all: not JSON, another format, a bad version.
type FormatError struct {
	Field   string
	Problem string
}

func (e *FormatError) Error() string { return "catalogue document: " + e.Field + " " + e.Problem }
func (e *FormatError) Unwrap() error { return ErrInvalid }

// Parse reads a document and checks it (Check); unknown fields are ignored. It returns either
// a document the till can apply or an error wrapping ErrInvalid that names every problem.
func Parse(data []byte) (*Document, error) {
	var d Document
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, &FormatError{Field: "(document)", Problem: "is not valid JSON: " + err.Error()}
	}
	if err := d.Check(); err != nil {
		return nil, err
	}
	return &d, nil
}

// Check applies the rules of sync.md: format 1, a version over zero, at least one department
// (a till without departments cannot sell), and the till's catalogue rules on every item
// (catalogue.Snapshot.Check: prices, barcodes with their check digit, natures, codes and
// barcodes used once, products naming departments and categories of the document). The error
// of a document that breaks a rule wraps both ErrInvalid and, for item rules, a
// *catalogue.Invalid listing every problem.
func (d *Document) Check() error {
	switch {
	case d.Format != Format:
		return &FormatError{Field: "format", Problem: fmt.Sprintf("is %d, this till reads format %d", d.Format, Format)}
	case d.Version <= 0:
		return &FormatError{Field: "version", Problem: "must be over zero"}
	case len(d.Departments) == 0:
		return &FormatError{Field: "departments", Problem: "must hold at least one department"}
	}
	if err := d.Snapshot().Check(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return nil
}

// Snapshot is the document as the till's storage applies it. Departments get their number as
// their id and categories their name, which is how products name them here, so the snapshot's
// references are the document's.
func (d *Document) Snapshot() catalogue.Snapshot {
	s := catalogue.Snapshot{
		Departments: make([]checkout.Department, len(d.Departments)),
		Categories:  make([]checkout.Category, len(d.Categories)),
		Products:    make([]checkout.Product, len(d.Products)),
	}
	for i, dep := range d.Departments {
		s.Departments[i] = checkout.Department{ID: strconv.Itoa(dep.Number), Number: dep.Number, Name: dep.Name,
			VATRate: money.Rate(dep.VATRate), Nature: dep.Nature}
	}
	for i, c := range d.Categories {
		s.Categories[i] = checkout.Category{ID: c.Name, Name: c.Name, Position: c.Position}
	}
	for i, p := range d.Products {
		s.Products[i] = checkout.Product{Code: p.Code, Barcodes: p.Barcodes, Name: p.Name, Price: money.Cents(p.PriceCents),
			DepartmentID: strconv.Itoa(p.Department), CategoryID: p.Category, Active: true}
		if p.Department == 0 {
			s.Products[i].DepartmentID = "" // missing, which Check says so
		}
	}
	return s
}

// ETag is the entity tag of a sales point's catalogue at a version. It names the sales point
// too: a till activated again for another sales point must not be told "unchanged" by a
// version number that happens to be the same.
func ETag(salesPointID string, version int64) string {
	return `"` + strconv.FormatInt(version, 10) + "." + salesPointID + `"`
}
