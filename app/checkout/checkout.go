package checkout

import (
	"context"
	"errors"
	"fmt"
	"time"

	"till/fiscal"
	"till/money"
)

// Payment is one way a share of a sale was paid.
type Payment struct {
	ID       string
	Method   fiscal.PaymentMethod
	Amount   money.Cents // what goes to the document
	Tendered money.Cents // cash handed over, 0 for other methods
	Change   money.Cents // cash given back
}

// Document is the fiscal document that closed a sale.
type Document struct {
	UUID  string
	Kind  string // "receipt" or "invoice"
	Label string // the number as shown to people: "0245-0012" or "12/2026"
	fiscal.DocumentRef
}

// PrintIntent is written with a sale before its receipt is sent to the printer: after a crash
// or a lost answer the till knows printing had started, and with what the printer said its
// last document was (when it can say).
type PrintIntent struct {
	Before fiscal.DocumentRef
}

// Journal is where the checkout writes each state of a sale and of its payment attempts
// before the next side effect. Every attempt write is a compare-and-set on the state the
// writer read (ErrStale when it changed meanwhile).
type Journal interface {
	// SavePending records the sale with its lines and cash payments as waiting for its
	// document, with the intent to print when print is not nil, in one transaction. It refuses
	// (ErrPrintUncertain) a sale whose earlier receipt is uncertain.
	SavePending(ctx context.Context, s *Sale, cash []Payment, print *PrintIntent, at time.Time) error
	// MarkDocumented records the document, marks the sale documented and exactly the listed
	// approved attempts documented, in one transaction. With person set, the sale must be
	// waiting for a print confirmation and the person is written to the audit log.
	MarkDocumented(ctx context.Context, saleID string, doc Document, attemptIDs []string, person string) error
	// DiscardPending deletes a pending sale that was never printed, with an audit entry.
	DiscardPending(ctx context.Context, saleID, reason string) error
	// MarkPrintUncertain notes that a sale's receipt may have been issued.
	MarkPrintUncertain(ctx context.Context, saleID string) error
	// ClearPrintIntent notes that a sale's printing provably produced no document.
	ClearPrintIntent(ctx context.Context, saleID string) error
	// ClearPrintUncertain records a person's word that an uncertain receipt was not issued.
	ClearPrintUncertain(ctx context.Context, saleID, person string) error
	// CashTendered is the cash handed over recorded for a pending sale (0 when none).
	CashTendered(ctx context.Context, saleID string) (money.Cents, error)
	LoadSale(ctx context.Context, id string) (*Sale, error)
	PendingSales(ctx context.Context) ([]PendingSale, error)
	// CancelSale marks a pending sale with no open payment cancelled.
	CancelSale(ctx context.Context, saleID, reason string) error

	// RecordAttempt writes the pending sale and a new attempt in one transaction; it fails
	// with a *BlockedError when an unresolved attempt holds the sale or the terminal.
	RecordAttempt(ctx context.Context, s *Sale, a *Attempt) error
	// UpdateAttempt writes the attempt's new state and data where its state is still from,
	// and the terminal's last result when seen is not nil, in one transaction.
	UpdateAttempt(ctx context.Context, a *Attempt, from AttemptState, seen *Baseline) error
	// ResolveAttemptByHand writes a manager's settlement (from state from) and its audit entry.
	ResolveAttemptByHand(ctx context.Context, a *Attempt, from AttemptState, actor, detail string) error
	Attempt(ctx context.Context, id string) (Attempt, error)
	SaleAttempts(ctx context.Context, saleID string) ([]Attempt, error)
	UnresolvedAttempts(ctx context.Context) ([]Attempt, error)
	// BlockingAttempt is an unresolved attempt on the sale or on the terminal, nil when none.
	BlockingAttempt(ctx context.Context, saleID, terminalID string) (*Attempt, error)
	TerminalBaseline(ctx context.Context, terminalID string) (Baseline, bool, error)
	SaveBaseline(ctx context.Context, terminalID string, b Baseline) error
}

// Completed is what the cashier sees after a successful payment.
type Completed struct {
	SaleID   string
	Total    money.Cents
	Change   money.Cents
	Document Document
	// Warning is something the cashier must know about an issued document: the courtesy
	// paper copy of an invoice failed, or the printer's total differs from the sale's.
	Warning error
}

// ErrNotCovered means the payments do not cover the total yet.
var ErrNotCovered = errors.New("the payments do not cover the total")

// Checkout is the one owner of a till's sales and payment attempts: it pays, resolves,
// recovers and documents, and the window and the headless commands only call it. Its methods
// block on storage, terminals and the printer: call them off the UI goroutine. Use one
// Checkout per till process.
type Checkout struct {
	Printer fiscal.Printer
	Journal Journal
	Devices Devices
	NewID   func() string
	Now     func() time.Time
	// Step, when set, is called at each step of the payment state machine ("attempt-created",
	// "attempt-sent", "approved", "unknown", "before-print", "printed", "documented"). The crash
	// tests use it to kill the process at each step.
	Step func(name string)
	// Invoices writes electronic invoices; nil: this till issues receipts only.
	Invoices InvoiceWriter
	// CourtesyInvoice prints a paper copy of every invoice on the RT (directInvoice).
	CourtesyInvoice bool

	own owner
}

func (c *Checkout) step(name string) {
	if c.Step != nil {
		c.Step(name)
	}
}

// CashChange validates a cash tender for an amount due and returns the change.
func CashChange(due, tendered money.Cents) (money.Cents, error) {
	if due <= 0 {
		return 0, ErrEmptySale
	}
	if tendered > money.MaxAmount*10 {
		return 0, ErrAmountTooLarge
	}
	if tendered < due {
		return 0, ErrTenderTooLow
	}
	return tendered - due, nil
}

// Approved sums the approved electronic payments of a sale.
func Approved(attempts []Attempt) money.Cents {
	var t money.Cents
	for _, a := range attempts {
		if a.State == AttemptApproved || a.State == AttemptDocumented {
			t += a.Authorized
		}
	}
	return t
}

// Waiting sums the amounts requested by attempts whose outcome is not known yet: money a
// terminal may have taken, which must never be asked for again while it is unknown.
func Waiting(attempts []Attempt) money.Cents {
	var t money.Cents
	for _, a := range attempts {
		if a.State.Unresolved() {
			t += a.Requested
		}
	}
	return t
}

// PayCash pays the whole sale in cash and documents it.
func (c *Checkout) PayCash(ctx context.Context, s *Sale, tendered money.Cents) (Completed, error) {
	return c.Complete(ctx, s, tendered)
}

// Complete documents a sale whose electronic payments are approved: what they do not cover is
// paid in cash (tendered; 0 when nothing is left). The sale and its cash payment are written
// (pending, printing) before printing and marked documented after, so a crash in between
// leaves it visible, never lost; a receipt whose answer is lost is never printed again without
// evidence that it was not issued (ErrPrintUncertain: a person confirms).
func (c *Checkout) Complete(ctx context.Context, s *Sale, tendered money.Cents) (Completed, error) {
	if err := ValidateSale(s); err != nil {
		return Completed{}, err
	}
	if !c.own.claim(saleKey(s.ID)) {
		return Completed{}, ErrBusy
	}
	defer c.own.release(saleKey(s.ID))
	electronic, cash, change, err := c.payments(ctx, s, tendered)
	if err != nil {
		return Completed{}, err
	}
	reader, before, err := c.lastDocument(ctx)
	if err != nil {
		return Completed{}, err
	}
	if err := c.Journal.SavePending(ctx, s, cash, &PrintIntent{Before: before}, c.Now()); err != nil {
		return Completed{}, fmt.Errorf("save sale %s: %w", s.ID, err)
	}
	c.step("before-print")
	r := ReceiptFor(s, append(electronic, cash...))
	ref, err := c.Printer.PrintReceipt(ctx, r)
	// The printer may have acted: record what is known even if the caller gave up meanwhile.
	ctx = context.WithoutCancel(ctx)
	switch {
	case err == nil:
	case errors.Is(err, fiscal.ErrOutcomeUnknown):
		if ref, err = c.afterLostAnswer(ctx, s.ID, r, before, reader, err); err != nil {
			return Completed{}, fmt.Errorf("print sale %s: %w", s.ID, err)
		}
	default:
		// Refused or not ready: the printer said it issued nothing.
		if cerr := c.Journal.ClearPrintIntent(ctx, s.ID); cerr != nil {
			return Completed{}, errors.Join(err, cerr)
		}
		return Completed{}, fmt.Errorf("print sale %s: %w", s.ID, err)
	}
	c.step("printed")
	return c.documented(ctx, s, ref, electronic, change, "")
}

// documented records an issued receipt, and warns when the printer's total differs.
func (c *Checkout) documented(ctx context.Context, s *Sale, ref fiscal.DocumentRef, electronic []Payment, change money.Cents, person string) (Completed, error) {
	doc := Document{UUID: c.NewID(), Kind: "receipt", Label: ref.ID(), DocumentRef: ref}
	ids := make([]string, 0, len(electronic))
	for _, p := range electronic {
		ids = append(ids, p.ID)
	}
	if err := c.Journal.MarkDocumented(ctx, s.ID, doc, ids, person); err != nil {
		return Completed{}, fmt.Errorf("record document %s of sale %s: %w", ref.ID(), s.ID, err)
	}
	c.step("documented")
	done := Completed{SaleID: s.ID, Total: s.Total(), Change: change, Document: doc}
	if ref.AmountReported && ref.Amount != s.Total() {
		done.Warning = &AmountMismatch{Document: ref.ID(), Sale: s.Total(), Printed: ref.Amount}
	}
	return done, nil
}

// lastDocument asks a printer that can tell its last document by a documented means; reader
// is nil for one that cannot (fiscal.ErrCannotTell), and then nothing is ever reprinted
// without a person's word.
func (c *Checkout) lastDocument(ctx context.Context) (fiscal.LastDocumentReader, fiscal.DocumentRef, error) {
	reader, ok := c.Printer.(fiscal.LastDocumentReader)
	if !ok {
		return nil, fiscal.DocumentRef{}, nil
	}
	before, err := reader.LastDocument(ctx)
	switch {
	case errors.Is(err, fiscal.ErrCannotTell):
		return nil, fiscal.DocumentRef{}, nil
	case err != nil:
		return nil, fiscal.DocumentRef{}, fmt.Errorf("%w: %w", ErrPrinterNotReady, err)
	}
	return reader, before, nil
}

// afterLostAnswer decides about a receipt whose answer was lost. Only a printer that tells its
// last document can settle it: a new document of the receipt's total is this one; an
// unchanged last document proves nothing was issued and the receipt is printed once more.
// Otherwise the sale is marked uncertain for a person (ErrPrintUncertain).
func (c *Checkout) afterLostAnswer(ctx context.Context, saleID string, r fiscal.Receipt, before fiscal.DocumentRef,
	reader fiscal.LastDocumentReader, lost error) (fiscal.DocumentRef, error) {
	uncertain := func(cause error) (fiscal.DocumentRef, error) {
		if err := c.Journal.MarkPrintUncertain(ctx, saleID); err != nil {
			return fiscal.DocumentRef{}, errors.Join(cause, err)
		}
		return fiscal.DocumentRef{}, fmt.Errorf("%w: %w", ErrPrintUncertain, cause)
	}
	if reader == nil {
		return uncertain(lost)
	}
	ref, printed, err := fiscal.Reconcile(ctx, reader, r.Total(), before)
	switch {
	case err != nil:
		return uncertain(errors.Join(lost, err))
	case printed:
		return ref, nil
	}
	ref, err = c.Printer.PrintReceipt(ctx, r)
	switch {
	case err == nil:
		return ref, nil
	case errors.Is(err, fiscal.ErrOutcomeUnknown):
		return uncertain(err)
	}
	if cerr := c.Journal.ClearPrintIntent(ctx, saleID); cerr != nil {
		return fiscal.DocumentRef{}, errors.Join(err, cerr)
	}
	return fiscal.DocumentRef{}, err
}

// payments gathers a sale's approved electronic payments and the cash that pays the rest.
func (c *Checkout) payments(ctx context.Context, s *Sale, tendered money.Cents) (electronic, cash []Payment, change money.Cents, err error) {
	attempts, err := c.Journal.SaleAttempts(ctx, s.ID)
	if err != nil {
		return nil, nil, 0, err
	}
	for _, a := range attempts {
		switch {
		case a.State == AttemptApproved:
			electronic = append(electronic, Payment{ID: a.ID, Method: a.Method, Amount: a.Authorized})
		case a.State.Unresolved():
			return nil, nil, 0, &BlockedError{Attempt: a, SameSale: true}
		}
	}
	if due := s.Total() - Approved(attempts); due > 0 {
		if change, err = CashChange(due, tendered); err != nil {
			return nil, nil, 0, err
		}
		cash = append(cash, Payment{ID: c.NewID(), Method: fiscal.Cash, Amount: due, Tendered: tendered, Change: change})
	}
	return electronic, cash, change, nil
}

// Discard forgets a sale that was saved as pending but whose receipt certainly did not print
// (the printer refused it or was not ready), when the cashier cancels it. A sale whose print
// outcome is uncertain is refused by the journal: it may exist on paper.
func (c *Checkout) Discard(ctx context.Context, saleID string) error {
	if err := c.Journal.DiscardPending(ctx, saleID, "cancelled by the cashier after a printer failure"); err != nil {
		return fmt.Errorf("discard sale %s: %w", saleID, err)
	}
	return nil
}

// Abandon settles a sale the cashier cleared before its document was issued, so that no
// pending sale is left in the journal for ever. A sale never saved leaves nothing. One saved
// only because the printer failed is discarded (Discard). One that reached a terminal keeps
// its declined or cancelled attempts as evidence and is recorded cancelled. A sale with an
// approved or unknown payment, or whose receipt may be on paper, is refused: it must be
// finished, reversed or settled from the journal.
func (c *Checkout) Abandon(ctx context.Context, saleID string) error {
	attempts, err := c.Journal.SaleAttempts(ctx, saleID)
	if err != nil {
		return err
	}
	if len(attempts) == 0 {
		return c.Discard(ctx, saleID)
	}
	for _, a := range attempts {
		if a.State.Open() {
			return &BlockedError{Attempt: a, SameSale: true}
		}
	}
	pending, err := c.Journal.PendingSales(ctx)
	if err != nil {
		return err
	}
	for _, p := range pending {
		if p.ID != saleID {
			continue
		}
		if p.PrintUncertain {
			return fmt.Errorf("abandon sale %s: %w", saleID, ErrPrintUncertain)
		}
		// The journal's compare-and-set (pending → cancelled) refuses a sale settled meanwhile.
		return c.Journal.CancelSale(ctx, saleID, "cleared by the cashier after a declined payment")
	}
	return nil // documented or cancelled meanwhile: nothing is left pending
}

// ReceiptFor turns a sale and its payments into what the fiscal printer prints (and what an
// invoice lists). Each line carries all that discounts take off it, its own discount and its
// share of the sale's (DiscountShares), so the document's lines add up to the sale's Total and
// each VAT rate to VATBreakdown.
func ReceiptFor(s *Sale, payments []Payment) fiscal.Receipt {
	r := fiscal.Receipt{Operator: s.OperatorNumber()}
	shares := s.DiscountShares()
	for i, l := range s.Lines {
		own := l.LineDiscount()
		r.Lines = append(r.Lines, fiscal.Line{
			Description:  l.Description,
			QtyMilli:     l.QtyMilli,
			UnitPrice:    l.UnitPrice,
			Department:   l.Department.Number,
			VATRate:      l.Department.VATRate,
			Nature:       l.Department.Nature,
			Discount:     own + shares[i],
			DiscountText: discountText(l.Discount, own, s.Discount, shares[i]),
		})
	}
	for _, p := range payments {
		r.Payments = append(r.Payments, fiscal.Payment{Method: p.Method, Amount: p.Amount})
	}
	return r
}

// discountText is what the receipt prints on a discounted line, in Italian as every fiscal
// document: "SCONTO 10%" for the line's own percentage, "SCONTO SU TOTALE 10%" for its share of
// the sale's, plain "SCONTO" for an amount or for both together (one adjustment per line).
func discountText(line Discount, own money.Cents, sale Discount, share money.Cents) string {
	switch {
	case own > 0 && share > 0:
		return "SCONTO"
	case own > 0 && line.Percent > 0:
		return "SCONTO " + line.Percent.String()
	case own > 0:
		return "SCONTO"
	case share > 0 && sale.Percent > 0:
		return "SCONTO SU TOTALE " + sale.Percent.String()
	case share > 0:
		return "SCONTO SU TOTALE"
	}
	return ""
}
