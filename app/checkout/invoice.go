package checkout

import "time"

// Seller is the shop as it appears on its invoices (CedentePrestatore).
type Seller struct {
	VATNumber string // partita IVA, 11 digits
	TaxCode   string // optional; for a company usually the P.IVA itself
	Company   string
	Address   string
	CAP       string
	City      string
	Province  string
	Regime    string // RegimeFiscale; "RF01" (ordinary) when empty
}

// DemoSeller is the shop of demo mode. Its P.IVA carries a correct check digit, so demo invoices
// validate like real ones, but it belongs to no real business.
func DemoSeller() Seller {
	return Seller{VATNumber: "02468135799", Company: "Bar Demo S.r.l.", Address: "Via Roma 1",
		CAP: "20121", City: "Milano", Province: "MI", Regime: "RF01"}
}

// InvoiceData is everything an electronic invoice of a paid sale says.
type InvoiceData struct {
	Sale     *Sale
	Payments []Payment
	Customer Customer
	Seller   Seller
	Number   int // the yearly progressive
	Year     int
	Date     time.Time // must fall in Year
}

// InvoiceWriter writes the electronic invoice of a paid sale (FatturaPA in this till: see
// app/invoicing). The domain decides what the invoice says; the writer knows the format.
type InvoiceWriter interface {
	Invoice(d InvoiceData) ([]byte, error)
}
