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

// Journal is where the checkout writes each state of a sale before its next side effect.
type Journal interface {
	// SavePending records the sale with its lines and cash payments as waiting for its
	// document, with the printer's last document before printing, in one transaction.
	SavePending(ctx context.Context, s *Sale, cash []Payment, before fiscal.DocumentRef, at time.Time) error
	// MarkDocumented records the document and marks the sale documented, in one transaction.
	MarkDocumented(ctx context.Context, saleID string, doc Document) error
	// DiscardPending deletes a pending sale that was never printed, with an audit entry.
	DiscardPending(ctx context.Context, saleID, reason string) error
	// RecordAttempt writes the pending sale and a new payment attempt in one transaction.
	RecordAttempt(ctx context.Context, s *Sale, a *Attempt) error
	// UpdateAttempt writes an attempt's new state and terminal data.
	UpdateAttempt(ctx context.Context, a *Attempt) error
	// SaleAttempts lists the sale's electronic attempts.
	SaleAttempts(ctx context.Context, saleID string) ([]Attempt, error)
	// TerminalSTANs lists the STANs known for a terminal and the latest.
	TerminalSTANs(ctx context.Context, terminalID string) (map[string]bool, string, error)
	// CancelSale marks a pending sale with no open payment cancelled.
	CancelSale(ctx context.Context, saleID, reason string) error
}

// Completed is what the cashier sees after a successful payment.
type Completed struct {
	SaleID   string
	Total    money.Cents
	Change   money.Cents
	Document Document
	// Warning is a failure after the document was issued (the courtesy paper copy of an
	// invoice): the sale is complete, the cashier is told.
	Warning error
}

// ErrPrintUnknown means the receipt may have printed: the sale stays pending until the printer
// is checked, so it is never printed twice.
var ErrPrintUnknown = errors.New("receipt outcome unknown")

// ErrNotCovered means the payments do not cover the total yet.
var ErrNotCovered = errors.New("the payments do not cover the total")

// Checkout pays and documents sales. Its methods block on storage, terminals and the printer:
// call them off the UI goroutine.
type Checkout struct {
	Printer fiscal.Printer
	Journal Journal
	NewID   func() string
	Now     func() time.Time
	// Step, when set, is called at each step of the payment state machine ("attempt-created",
	// "attempt-sent", "approved", "before-print", "printed", "documented"). The crash tests
	// use it to kill the process at each step.
	Step func(name string)
	// CourtesyInvoice prints a paper copy of every invoice on the RT (directInvoice).
	CourtesyInvoice bool
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

// PayCash pays the whole sale in cash and documents it.
func (c *Checkout) PayCash(ctx context.Context, s *Sale, tendered money.Cents) (Completed, error) {
	return c.Complete(ctx, s, tendered)
}

// Complete documents a sale whose electronic payments are approved: what they do not cover is
// paid in cash (tendered; 0 when nothing is left). The sale and its cash payment are written
// (pending) before printing and marked documented after, so a crash in between leaves it
// visible as pending, never lost.
func (c *Checkout) Complete(ctx context.Context, s *Sale, tendered money.Cents) (Completed, error) {
	if len(s.Lines) == 0 {
		return Completed{}, ErrEmptySale
	}
	electronic, cash, change, err := c.payments(ctx, s, tendered)
	if err != nil {
		return Completed{}, err
	}
	total := s.Total()
	var before fiscal.DocumentRef
	reader, reconciles := c.Printer.(fiscal.LastDocumentReader)
	if reconciles {
		if before, err = reader.LastDocument(ctx); err != nil {
			return Completed{}, fmt.Errorf("read the printer's last document: %w", err)
		}
	}
	if err := c.Journal.SavePending(ctx, s, cash, before, c.Now()); err != nil {
		return Completed{}, fmt.Errorf("save sale %s: %w", s.ID, err)
	}
	c.step("before-print")
	ref, err := c.print(ctx, ReceiptFor(s, append(electronic, cash...)), before, reader)
	if err != nil {
		return Completed{}, fmt.Errorf("print sale %s: %w", s.ID, err)
	}
	c.step("printed")
	doc := Document{UUID: c.NewID(), Kind: "receipt", Label: ref.ID(), DocumentRef: ref}
	// The receipt is on paper: record it even if the caller gave up meanwhile.
	if err := c.Journal.MarkDocumented(context.WithoutCancel(ctx), s.ID, doc); err != nil {
		return Completed{}, fmt.Errorf("record document %s of sale %s: %w", ref.ID(), s.ID, err)
	}
	c.step("documented")
	return Completed{SaleID: s.ID, Total: total, Change: change, Document: doc}, nil
}

// payments gathers a sale's approved electronic payments and the cash that pays the rest.
func (c *Checkout) payments(ctx context.Context, s *Sale, tendered money.Cents) (electronic, cash []Payment, change money.Cents, err error) {
	attempts, err := c.Journal.SaleAttempts(ctx, s.ID)
	if err != nil {
		return nil, nil, 0, err
	}
	for _, a := range attempts {
		switch a.State {
		case AttemptApproved:
			electronic = append(electronic, Payment{ID: a.ID, Method: a.Method, Amount: a.Authorized})
		case AttemptCreated, AttemptSent, AttemptUnknown:
			return nil, nil, 0, ErrUnresolved
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

// print issues the receipt; when the outcome is unknown and the printer can say its last
// document, it reconciles instead of printing blindly, and prints again at most once.
func (c *Checkout) print(ctx context.Context, r fiscal.Receipt, before fiscal.DocumentRef, reader fiscal.LastDocumentReader) (fiscal.DocumentRef, error) {
	ref, err := c.Printer.PrintReceipt(ctx, r)
	if err == nil || !errors.Is(err, fiscal.ErrOutcomeUnknown) {
		return ref, err
	}
	if reader == nil {
		return ref, fmt.Errorf("%w: %w", ErrPrintUnknown, err)
	}
	ref, printed, rerr := fiscal.Reconcile(ctx, reader, r.Total(), before)
	if rerr != nil {
		return ref, fmt.Errorf("%w: %w", ErrPrintUnknown, rerr)
	}
	if printed {
		return ref, nil
	}
	ref, err = c.Printer.PrintReceipt(ctx, r)
	if err != nil && errors.Is(err, fiscal.ErrOutcomeUnknown) {
		return ref, fmt.Errorf("%w: %w", ErrPrintUnknown, err)
	}
	return ref, err
}

// ReprintOrRecover documents a pending sale whose printing started before a crash: if the
// printer holds a new document of the sale's total it is recorded, otherwise nothing is done
// and the sale stays pending for the cashier.
func (c *Checkout) RecoverPrinted(ctx context.Context, s *Sale, before fiscal.DocumentRef) (bool, error) {
	reader, ok := c.Printer.(fiscal.LastDocumentReader)
	if !ok {
		return false, nil
	}
	ref, printed, err := fiscal.Reconcile(ctx, reader, s.Total(), before)
	if err != nil || !printed {
		return false, err
	}
	doc := Document{UUID: c.NewID(), Kind: "receipt", Label: ref.ID(), DocumentRef: ref}
	if err := c.Journal.MarkDocumented(ctx, s.ID, doc); err != nil {
		return false, err
	}
	return true, nil
}

// Discard forgets a sale that was saved as pending but whose receipt certainly did not print
// (the printer refused it or was not ready), when the cashier cancels it. A sale whose print
// outcome is unknown must not be discarded: it may exist on paper.
func (c *Checkout) Discard(ctx context.Context, saleID string) error {
	if err := c.Journal.DiscardPending(ctx, saleID, "cancelled by the cashier after a printer failure"); err != nil {
		return fmt.Errorf("discard sale %s: %w", saleID, err)
	}
	return nil
}

// ReceiptFor turns a sale and its payments into what the fiscal printer prints.
func ReceiptFor(s *Sale, payments []Payment) fiscal.Receipt {
	r := fiscal.Receipt{Operator: 1}
	for _, l := range s.Lines {
		r.Lines = append(r.Lines, fiscal.Line{
			Description: l.Description,
			QtyMilli:    l.QtyMilli,
			UnitPrice:   l.UnitPrice,
			Department:  l.Department.Number,
			VATRate:     l.Department.VATRate,
			Nature:      l.Department.Nature,
		})
	}
	for _, p := range payments {
		r.Payments = append(r.Payments, fiscal.Payment{Method: p.Method, Amount: p.Amount})
	}
	return r
}
