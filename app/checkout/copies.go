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

// NumberReprinter reprints any document of the printer's electronic journal by number, as a
// copy. Printers offer it only as an assumption beyond the contract (epson.Config.ReprintByNumber),
// so CanReprintDocuments says whether this install enabled it; when not, ReprintDocument
// answers fiscal.ErrNotSupported without sending anything.
type NumberReprinter interface {
	CanReprintDocuments() bool
	ReprintDocument(ctx context.Context, of fiscal.DocumentRef) error
}

// Why a copy of one of today's documents cannot be printed by number.
var (
	// ErrOnlyLastDocument: the printer reprints only its last document and this is another one.
	ErrOnlyLastDocument = errors.New("this printer reprints only its last document")
	// ErrNotCurrentDay: the document is not of the printer's current day (its open Z), whose
	// journal is the only one reprinted by number.
	ErrNotCurrentDay = errors.New("only documents of the printer's current day are reprinted by number")
)

// CanReprintByNumber reports whether the printer reprints any document of its day by number.
func (c *Checkout) CanReprintByNumber() bool {
	nr, ok := c.Printer.(NumberReprinter)
	return ok && nr.CanReprintDocuments()
}

// Copy prints a copy of a sale's receipt the best way the printer offers: as the duplicate of
// its last document when it is (documented in the contract), else by number when the printer
// reprints by number. The error says why not: ErrOnlyLastDocument, ErrNotCurrentDay, ErrNoCopies.
func (c *Checkout) Copy(ctx context.Context, saleID string) error {
	err := c.Reprint(ctx, saleID)
	if !errors.Is(err, ErrNoCopies) {
		return err
	}
	if why := c.CopyOffered(ctx, saleID); why != nil {
		return why
	}
	if !c.CanReprintByNumber() {
		return err // the last receipt, refused for the reasons Reprint gives
	}
	return c.ReprintByNumber(ctx, saleID)
}

// CopyOffered says, without printing, whether Copy can print a copy of a sale's receipt: nil,
// or the error Copy would answer before sending anything.
func (c *Checkout) CopyOffered(ctx context.Context, saleID string) error {
	cj, ok := c.Journal.(CopyJournal)
	if !ok {
		return ErrNoCopies
	}
	doc, err := cj.SaleDocument(ctx, saleID)
	if err != nil {
		return err
	}
	if doc.Kind != "receipt" {
		return ErrNoCopies
	}
	if err := c.currentDay(ctx, cj, doc); err != nil {
		return err
	}
	if last, err := cj.LastReceiptSale(ctx); err != nil || last == saleID {
		return err // the last receipt: Reprint decides, as it always did
	}
	if !c.CanReprintByNumber() {
		return ErrOnlyLastDocument
	}
	return nil
}

// currentDay refuses a document that is not of the printer's current day as the till knows it:
// issued today (by the till's clock) in the Z of the last receipt it recorded. A closure the
// till did not see makes the printer refuse the reprint itself (nothing printed).
func (c *Checkout) currentDay(ctx context.Context, cj CopyJournal, doc Document) error {
	y, m, d := c.Now().Date()
	if dy, dm, dd := doc.IssuedAt.Local().Date(); doc.IssuedAt.IsZero() || dy != y || dm != m || dd != d {
		return ErrNotCurrentDay
	}
	last, err := cj.LastReceiptSale(ctx)
	if err != nil || last == "" {
		return err
	}
	lastDoc, err := cj.SaleDocument(ctx, last)
	if err != nil {
		return err
	}
	if lastDoc.ZNumber != doc.ZNumber {
		return ErrNotCurrentDay
	}
	return nil
}

// ReprintByNumber prints a copy of any receipt of the printer's current day by its number, and
// counts it on the document as Reprint does. A copy is never a new document and prints no
// number or total, so the sale's state is untouched. After fiscal.ErrOutcomeUnknown the copy
// may be on paper: the error is reported and nothing is re-sent on the till's own.
func (c *Checkout) ReprintByNumber(ctx context.Context, saleID string) error {
	cj, ok := c.Journal.(CopyJournal)
	nr, ok2 := c.Printer.(NumberReprinter)
	if !ok || !ok2 {
		return ErrNoCopies
	}
	if !nr.CanReprintDocuments() {
		return ErrOnlyLastDocument
	}
	doc, err := cj.SaleDocument(ctx, saleID)
	if err != nil {
		return err
	}
	if doc.Kind != "receipt" {
		return ErrNoCopies
	}
	if err := c.currentDay(ctx, cj, doc); err != nil {
		return err
	}
	if err := nr.ReprintDocument(ctx, doc.DocumentRef); err != nil {
		return fmt.Errorf("copy of %s: %w", doc.Label, err)
	}
	return cj.CountCopy(ctx, saleID)
}
