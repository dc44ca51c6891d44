package checkout

import (
	"context"
	"fmt"
)

// creditNote refunds an invoiced sale: no RT document (an invoice is not a documento
// commerciale), but a FatturaPA credit note (TD04) referring to the invoice, numbered in the
// invoices' yearly sequence and recorded with the return in one transaction.
func (rs *Returns) creditNote(ctx context.Context, r *Return, src Returnable) (*Return, error) {
	if r.Kind == KindVoid {
		return nil, fmt.Errorf("una fattura si corregge con una nota di credito: usa till refund"+
			" / an invoice is corrected by a credit note: use till refund: %w", ErrNotReturnable)
	}
	if rs.CreditNotes == nil {
		return nil, fmt.Errorf("note di credito non configurate / credit notes not configured: %w", ErrNotReturnable)
	}
	build := func(number string) ([]byte, error) { return rs.CreditNotes.CreditNote(r, src, number) }
	if err := rs.Journal.RecordCreditNote(ctx, r, build); err != nil {
		return nil, err
	}
	rs.Checkout.step("return-documented")
	return r, rs.giveBack(context.WithoutCancel(ctx), r)
}
