package fatturapa

import (
	"testing"
	"time"

	"till/fiscal"
	"till/fiscal/fatturapa/schematest"
)

// TestCreditNoteFromAnInvoiceValidates reads back a built invoice and corrects it with a
// credit note that names it, as a refund of an invoiced sale does.
func TestCreditNoteFromAnInvoiceValidates(t *testing.T) {
	for _, customer := range []Party{company, person} {
		inv := doc(Invoice, customer, "ABC1234", []fiscal.Line{line("Torta", 1000, 2500, 1000, "")},
			[]fiscal.Payment{{Method: fiscal.Card, Amount: 2500}})
		res, err := Build(inv)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ReadIssued(res.XML)
		if err != nil {
			t.Fatal(err)
		}
		if got.Number != inv.Number || !got.Date.Equal(inv.Date) || got.Customer.Address.City != customer.Address.City ||
			got.Customer.VATNumber != customer.VATNumber || got.Customer.TaxCode != customer.TaxCode || got.Seller.VATNumber != shop.VATNumber {
			t.Fatalf("read %+v", got)
		}
		note, err := Build(Document{Type: CreditNote, Number: FormatNumber(8, 2026), Date: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC),
			Seller: got.Seller, RegimeFiscale: got.RegimeFiscale, Customer: got.Customer, RecipientCode: got.RecipientCode, PEC: got.PEC,
			Lines:    []fiscal.Line{line("Torta", 1000, 2500, 1000, "")},
			Payments: []fiscal.Payment{{Method: fiscal.Card, Amount: 2500}},
			Linked:   []Linked{{Number: got.Number, Date: got.Date}}})
		if err != nil {
			t.Fatal(err)
		}
		schematest.Validate(t, note.XML)
	}
	if _, err := Build(doc(CreditNote, person, "", []fiscal.Line{line("Torta", 1000, 2500, 1000, "")},
		[]fiscal.Payment{{Method: fiscal.Cash, Amount: 2500}})); err == nil {
		t.Error("a credit note that refers to no invoice was built")
	}
}

func FuzzReadIssued(f *testing.F) {
	res, err := Build(doc(Invoice, company, "ABC1234", []fiscal.Line{line("Caffè", 1000, 120, 1000, "")}, nil))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(res.XML)
	f.Add([]byte("<a/>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := ReadIssued(b)
		if err == nil && (got.Number == "" || got.Date.IsZero()) {
			t.Fatalf("read without number or date: %+v", got)
		}
	})
}
