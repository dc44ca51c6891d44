package invoicing

import (
	"fmt"

	"till/app/checkout"
	"till/fiscal"
	"till/fiscal/fatturapa"
)

// CreditNotes builds the FatturaPA credit note (TD04) of a refunded invoice from the invoice
// as stored: the same parties and recipient, the refunded lines and how the money goes back,
// and DatiFattureCollegate naming the invoice.
type CreditNotes struct{}

var _ checkout.CreditNoteWriter = CreditNotes{}

// CreditNote is the TD04 of the refund r of the invoice src, numbered number.
func (CreditNotes) CreditNote(r *checkout.Return, src checkout.Returnable, number string) ([]byte, error) {
	inv, err := fatturapa.ReadIssued(src.InvoiceXML)
	if err != nil {
		return nil, fmt.Errorf("credit note of %s: %w", src.Document.Label, err)
	}
	lines := make([]fiscal.Line, len(r.Lines))
	for i, l := range r.Lines {
		lines[i] = l.Line
	}
	res, err := fatturapa.Build(fatturapa.Document{Type: fatturapa.CreditNote, Number: number, Date: r.Created,
		Seller: inv.Seller, RegimeFiscale: inv.RegimeFiscale, Customer: inv.Customer, RecipientCode: inv.RecipientCode,
		PEC: inv.PEC, Lines: lines, Payments: r.Payments(), Linked: []fatturapa.Linked{{Number: inv.Number, Date: inv.Date}}})
	if err != nil {
		return nil, fmt.Errorf("credit note of %s: %w", src.Document.Label, err)
	}
	if res.Total != r.Amount {
		return nil, fmt.Errorf("credit note of %s totals %s, the refund %s", src.Document.Label, res.Total, r.Amount)
	}
	return res.XML, nil
}
