package checkout

import (
	"fmt"
	"time"

	"till/fiscal/fatturapa"
)

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

func (s Seller) party() fatturapa.Party {
	return fatturapa.Party{VATNumber: s.VATNumber, TaxCode: s.TaxCode, Company: s.Company,
		Address: fatturapa.Address{Street: s.Address, CAP: s.CAP, City: s.City, Province: s.Province}}
}

// InvoiceFor builds the FatturaPA FPR12 invoice (TD01) of a paid sale for customer c: number is
// the yearly progressive of year (written "number/year"), date the invoice date, which must fall
// in that year. Lines carry their department's VAT rate or nature; cash is paid MP01, card MP08,
// and the Coverflex share gets no payment entry (no code exists for meal vouchers).
//
// A customer that does not validate gives a *CustomerError; other invalid data a
// *fatturapa.FieldError (both for the UI to explain).
func InvoiceFor(s *Sale, payments []Payment, c Customer, seller Seller, number, year int, date time.Time) ([]byte, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if number < 1 || date.Year() != year {
		return nil, fmt.Errorf("invoice %d/%d dated %s: %w", number, year, date.Format(time.DateOnly),
			&fatturapa.FieldError{Field: "number", Reason: fatturapa.ReasonValue, Value: fatturapa.FormatNumber(number, year)})
	}
	pec := c.PEC
	if c.RecipientCode != "" && c.RecipientCode != PrivateRecipient {
		pec = "" // SdI refuses a PEC next to a real recipient code (error 00426)
	}
	r := ReceiptFor(s, payments)
	res, err := fatturapa.Build(fatturapa.Document{
		Type:          fatturapa.Invoice,
		Number:        fatturapa.FormatNumber(number, year),
		Date:          date,
		Seller:        seller.party(),
		RegimeFiscale: seller.Regime,
		Customer:      c.party(),
		RecipientCode: c.RecipientCode,
		PEC:           pec,
		Lines:         r.Lines,
		Payments:      r.Payments,
	})
	if err != nil {
		return nil, fmt.Errorf("invoice %s of sale %s: %w", fatturapa.FormatNumber(number, year), s.ID, err)
	}
	if res.Total != s.Total() {
		// Build sums the same line amounts; a difference would mean the invoice and the sale disagree.
		return nil, fmt.Errorf("invoice of sale %s totals %s, the sale %s", s.ID, res.Total, s.Total())
	}
	return res.XML, nil
}
