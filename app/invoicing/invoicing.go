// Package invoicing writes the electronic invoice of a paid sale as FatturaPA FPR12 XML: it
// turns the checkout's sale, payments, customer and seller into a fatturapa.Document. It is
// the adapter between the domain (app/checkout, which must not know the format) and the
// format (fiscal/fatturapa, which knows no sale).
package invoicing

import (
	"fmt"
	"time"

	"till/app/checkout"
	"till/fiscal/fatturapa"
)

// FatturaPA implements checkout.InvoiceWriter.
type FatturaPA struct{}

var _ checkout.InvoiceWriter = FatturaPA{}

// Invoice implements checkout.InvoiceWriter with XML.
func (FatturaPA) Invoice(d checkout.InvoiceData) ([]byte, error) {
	return XML(d.Sale, d.Payments, d.Customer, d.Seller, d.Number, d.Year, d.Date)
}

// XML builds the FatturaPA FPR12 invoice (TD01) of a paid sale for customer c: number is the
// yearly progressive of year (written "number/year"), date the invoice date, which must fall in
// that year. Lines carry their department's VAT rate or nature; cash is paid MP01, card MP08,
// and the Coverflex share gets no payment entry (no code exists for meal vouchers).
//
// A customer that does not validate gives a *checkout.CustomerError; other invalid data a
// *fatturapa.FieldError (both for the UI to explain).
func XML(s *checkout.Sale, payments []checkout.Payment, c checkout.Customer, seller checkout.Seller, number, year int, date time.Time) ([]byte, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if number < 1 || date.Year() != year {
		return nil, fmt.Errorf("invoice %d/%d dated %s: %w", number, year, date.Format(time.DateOnly),
			&fatturapa.FieldError{Field: "number", Reason: fatturapa.ReasonValue, Value: fatturapa.FormatNumber(number, year)})
	}
	pec := c.PEC
	if c.RecipientCode != "" && c.RecipientCode != checkout.PrivateRecipient {
		pec = "" // SdI refuses a PEC next to a real recipient code (error 00426)
	}
	r := checkout.ReceiptFor(s, payments)
	res, err := fatturapa.Build(fatturapa.Document{
		Type:          fatturapa.Invoice,
		Number:        fatturapa.FormatNumber(number, year),
		Date:          date,
		Seller:        sellerParty(seller),
		RegimeFiscale: seller.Regime,
		Customer:      customerParty(c),
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

func sellerParty(s checkout.Seller) fatturapa.Party {
	return fatturapa.Party{VATNumber: s.VATNumber, TaxCode: s.TaxCode, Company: s.Company,
		Address: fatturapa.Address{Street: s.Address, CAP: s.CAP, City: s.City, Province: s.Province}}
}

func customerParty(c checkout.Customer) fatturapa.Party {
	return fatturapa.Party{VATNumber: c.VATNumber, TaxCode: c.TaxCode, Company: c.Company, Name: c.Name,
		Surname: c.Surname, Address: fatturapa.Address{Street: c.Address, CAP: c.CAP, City: c.City, Province: c.Province}}
}
