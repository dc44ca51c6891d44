package checkout

import (
	"context"
	"errors"
	"fmt"

	"till/fiscal"
)

// CopyJournal reads a sale's document and counts the copies printed of it.
type CopyJournal interface {
	SaleDocument(ctx context.Context, saleID string) (Document, error)
	CountCopy(ctx context.Context, saleID string) error
	// LastReceiptSale is the sale of the receipt recorded last ("" when none).
	LastReceiptSale(ctx context.Context) (string, error)
}

// ErrNoCopies means this printer cannot print copies, or the document has none on paper.
var ErrNoCopies = errors.New("copies cannot be printed for this document")

// Reprint prints a copy of a sale's receipt. A copy is never a new document: the printer
// prints it as a duplicate (only of its last document) and the till counts it on the
// document. A copy printed but not counted (a crash in between) does no harm. The printer
// reprints whatever it issued last and may not be able to say what that was, so only the
// receipt this till recorded last is offered, and none while a receipt may have been issued
// after it (printing started or uncertain): the printer's last document could be that one.
func (c *Checkout) Reprint(ctx context.Context, saleID string) error {
	cj, ok := c.Journal.(CopyJournal)
	dp, ok2 := c.Printer.(fiscal.DuplicatePrinter)
	if !ok || !ok2 {
		return ErrNoCopies
	}
	doc, err := cj.SaleDocument(ctx, saleID)
	if err != nil {
		return err
	}
	if doc.Kind != "receipt" {
		return ErrNoCopies // an invoice's copy is its XML (till invoices export)
	}
	if last, err := cj.LastReceiptSale(ctx); err != nil || last != saleID {
		if err != nil {
			return err
		}
		return ErrNoCopies
	}
	pending, err := c.Journal.PendingSales(ctx)
	if err != nil {
		return err
	}
	for _, p := range pending {
		if p.PrintStarted || p.PrintUncertain {
			return ErrNoCopies
		}
	}
	if err := dp.PrintDuplicate(ctx, doc.DocumentRef); err != nil {
		return fmt.Errorf("copy of %s: %w", doc.Label, err)
	}
	return cj.CountCopy(ctx, saleID)
}

// courtesyInvoice prints the paper copy of an issued invoice on the RT, when configured.
func (c *Checkout) courtesyInvoice(ctx context.Context, s *Sale, payments []Payment, cu Customer, number string) error {
	cp, ok := c.Printer.(fiscal.CourtesyInvoicePrinter)
	if !ok || !c.CourtesyInvoice {
		return nil
	}
	r := ReceiptFor(s, payments)
	lines := []string{cu.DisplayName()}
	switch {
	case cu.VATNumber != "":
		lines = append(lines, "P.IVA "+cu.VATNumber)
	case cu.TaxCode != "":
		lines = append(lines, "C.F. "+cu.TaxCode)
	}
	lines = append(lines, fmt.Sprintf("%s %s %s (%s)", cu.Address, cu.CAP, cu.City, cu.Province))
	_, err := cp.PrintCourtesyInvoice(ctx, fiscal.CourtesyInvoice{Number: number, Customer: lines, Lines: r.Lines, Payments: r.Payments, Operator: r.Operator})
	return err
}
