package fiscal

import (
	"context"

	"till/money"
)

// MaxCourtesyCustomerLines is how many customer lines a courtesy invoice carries: name, P.IVA or
// codice fiscale, and up to two address lines. More are refused rather than cut, because a
// dropped address line would make the paper disagree with the electronic invoice.
const MaxCourtesyCustomerLines = 4

// CourtesyInvoice is the paper copy of an invoice printed on the RT (a "fattura diretta"). The
// legal invoice is the FatturaPA sent through SdI; this copy is handed to the customer over the
// counter, and on the RT it is a fiscal document of the day like a receipt.
type CourtesyInvoice struct {
	Number   string   // the till's yearly invoice number, "12/2026" (see fatturapa.FormatNumber)
	Customer []string // 1 to MaxCourtesyCustomerLines lines: name, P.IVA/CF, address
	Lines    []Line
	Payments []Payment
	Operator int // cashier number on the printer, 1 when unset
}

// Total is the sum of the line amounts.
func (inv CourtesyInvoice) Total() money.Cents { return Receipt{Lines: inv.Lines}.Total() }

// Paid is the sum of the payments.
func (inv CourtesyInvoice) Paid() money.Cents { return Receipt{Payments: inv.Payments}.Paid() }

// CourtesyInvoicePrinter is a Printer that can also print a courtesy paper invoice. It is a
// separate interface because not every RT model (nor every install) enables invoices: the till
// checks with a type assertion and offers the button only when it holds.
//
// The returned DocumentRef numbers the invoice in the printer's document sequence (ZZZZ-NNNN), so
// an unknown outcome is reconciled exactly like a receipt: fiscal.Reconcile with inv.Total().
type CourtesyInvoicePrinter interface {
	PrintCourtesyInvoice(ctx context.Context, inv CourtesyInvoice) (DocumentRef, error)
}

// DuplicatePrinter reprints a document already issued, marked as a copy on paper. A copy is never
// a new fiscal document: no number, no day total. Printers that can only reprint their last
// document refuse any other with ErrRefused without printing when they can tell which document
// is last; one that cannot tell (ErrCannotTell) prints the copy, so callers ask only for the
// document they recorded last on that printer.
//
// A copy printed twice harms no one, so after ErrOutcomeUnknown the caller may simply retry.
type DuplicatePrinter interface {
	PrintDuplicate(ctx context.Context, of DocumentRef) error
}
