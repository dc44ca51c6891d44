package checkout

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"till/fiscal/taxid"
)

// Customer is who an invoice is made out to: a company (Company) or a person (Name and
// Surname), identified by a P.IVA and/or a codice fiscale, with the address and the way SdI
// delivers the invoice (RecipientCode, or PEC).
type Customer struct {
	ID            string
	Company       string
	Name          string
	Surname       string
	VATNumber     string // partita IVA, 11 digits, without "IT"
	TaxCode       string // codice fiscale: 16 characters for a person, 11 digits for a company
	Address       string // street and number
	CAP           string // 5 digits
	City          string
	Province      string // 2 capitals (MI, RM…)
	RecipientCode string // SdI codice destinatario, 7 capitals/digits; "0000000" for private customers
	PEC           string // certified e-mail, when the customer has no recipient code
}

// PrivateRecipient is the recipient code of a customer who receives invoices in the tax
// agency's reserved area instead of through an SdI channel: private persons, or whoever has
// neither a code nor a PEC yet.
const PrivateRecipient = "0000000"

// Customer fields named by a CustomerError, as the form calls them.
const (
	FieldCompany       = "company"
	FieldName          = "name"
	FieldSurname       = "surname"
	FieldVATNumber     = "vatNumber"
	FieldTaxCode       = "taxCode"
	FieldAddress       = "address"
	FieldCAP           = "cap"
	FieldCity          = "city"
	FieldProvince      = "province"
	FieldRecipientCode = "recipientCode"
	FieldPEC           = "pec"
)

// Reasons a customer field is refused; the same words fatturapa uses, so one table of texts
// covers both.
const (
	ReasonMissing  = "missing"
	ReasonFormat   = "format"
	ReasonChecksum = "checksum"
	ReasonTooLong  = "too-long"
)

// ErrInvalidCustomer is wrapped by every CustomerError.
var ErrInvalidCustomer = errors.New("invalid customer")

// CustomerError names the customer field that is wrong and why (one of the Reason constants),
// so the form can point at the field and explain in the cashier's language.
type CustomerError struct {
	Field  string
	Reason string
}

func (e *CustomerError) Error() string {
	return fmt.Sprintf("customer %s: %s", e.Field, e.Reason)
}

func (e *CustomerError) Unwrap() error { return ErrInvalidCustomer }

var (
	reCAP       = regexp.MustCompile(`^[0-9]{5}$`)
	reProvince  = regexp.MustCompile(`^[A-Z]{2}$`)
	reVATNumber = regexp.MustCompile(`^[0-9]{11}$`)
	reTaxCode   = regexp.MustCompile(`^([A-Z0-9]{16}|[0-9]{11})$`)
	reRecipient = regexp.MustCompile(`^[A-Z0-9]{7}$`)
	rePEC       = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// Normalize trims every field, writes the identifiers and the province in capitals, drops
// spaces and an "IT" prefix from the P.IVA (people copy it from letterheads), and gives a
// private customer (no P.IVA) without a recipient code the code PrivateRecipient.
func (c *Customer) Normalize() {
	for _, f := range []*string{&c.Company, &c.Name, &c.Surname, &c.Address, &c.CAP, &c.City, &c.PEC} {
		*f = strings.Join(strings.Fields(*f), " ")
	}
	noSpace := func(s string) string { return strings.ToUpper(strings.Join(strings.Fields(s), "")) }
	c.VATNumber = strings.TrimPrefix(noSpace(c.VATNumber), "IT")
	c.TaxCode = noSpace(c.TaxCode)
	c.Province = noSpace(c.Province)
	c.RecipientCode = noSpace(c.RecipientCode)
	if c.RecipientCode == "" && c.VATNumber == "" && c.PEC == "" {
		c.RecipientCode = PrivateRecipient
	}
}

// Validate normalises c (see Normalize) and checks it can receive a FatturaPA invoice. The
// first problem is returned as a *CustomerError, in the order of the form's fields.
func (c *Customer) Validate() error {
	c.Normalize()
	bad := func(field, reason string) error { return &CustomerError{Field: field, Reason: reason} }
	long := func(s string, n int) bool { return utf8.RuneCountInString(s) > n }
	switch {
	case c.Company == "" && c.Name == "" && c.Surname == "":
		return bad(FieldCompany, ReasonMissing)
	case long(c.Company, 80):
		return bad(FieldCompany, ReasonTooLong)
	case c.Company == "" && c.Name == "":
		return bad(FieldName, ReasonMissing)
	case long(c.Name, 60):
		return bad(FieldName, ReasonTooLong)
	case c.Company == "" && c.Surname == "":
		return bad(FieldSurname, ReasonMissing)
	case long(c.Surname, 60):
		return bad(FieldSurname, ReasonTooLong)
	case c.VATNumber == "" && c.TaxCode == "":
		return bad(FieldVATNumber, ReasonMissing)
	case c.VATNumber != "" && !reVATNumber.MatchString(c.VATNumber):
		return bad(FieldVATNumber, ReasonFormat)
	case c.VATNumber != "" && !taxid.PartitaIVA(c.VATNumber):
		return bad(FieldVATNumber, ReasonChecksum)
	case c.TaxCode != "" && !reTaxCode.MatchString(c.TaxCode):
		return bad(FieldTaxCode, ReasonFormat)
	case c.TaxCode != "" && !taxid.CodiceFiscale(c.TaxCode):
		return bad(FieldTaxCode, ReasonChecksum)
	}
	return c.validateAddress()
}

func (c *Customer) validateAddress() error {
	bad := func(field, reason string) error { return &CustomerError{Field: field, Reason: reason} }
	switch {
	case c.Address == "":
		return bad(FieldAddress, ReasonMissing)
	case utf8.RuneCountInString(c.Address) > 60:
		return bad(FieldAddress, ReasonTooLong)
	case c.CAP == "":
		return bad(FieldCAP, ReasonMissing)
	case !reCAP.MatchString(c.CAP):
		return bad(FieldCAP, ReasonFormat)
	case c.City == "":
		return bad(FieldCity, ReasonMissing)
	case utf8.RuneCountInString(c.City) > 60:
		return bad(FieldCity, ReasonTooLong)
	case c.Province == "":
		return bad(FieldProvince, ReasonMissing)
	case !reProvince.MatchString(c.Province):
		return bad(FieldProvince, ReasonFormat)
	// A business must say how SdI reaches it; only a private customer may default to the
	// reserved area (Normalize has already given them PrivateRecipient).
	case c.RecipientCode == "" && c.PEC == "":
		return bad(FieldRecipientCode, ReasonMissing)
	case c.RecipientCode != "" && !reRecipient.MatchString(c.RecipientCode):
		return bad(FieldRecipientCode, ReasonFormat)
	case c.PEC != "" && !rePEC.MatchString(c.PEC):
		return bad(FieldPEC, ReasonFormat)
	}
	return nil
}

// DisplayName is the company, or the name and surname.
func (c Customer) DisplayName() string {
	if c.Company != "" {
		return c.Company
	}
	return strings.TrimSpace(c.Name + " " + c.Surname)
}
