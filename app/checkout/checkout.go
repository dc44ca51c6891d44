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
	UUID string
	Kind string // "receipt"
	fiscal.DocumentRef
}

// Journal is where the checkout writes each state of a sale before its next side effect.
type Journal interface {
	// SavePending records the sale, its lines and payments as waiting for a document, in one
	// transaction. Saving the same sale again replaces its lines and payments.
	SavePending(ctx context.Context, s *Sale, payments []Payment, at time.Time) error
	// MarkDocumented records the document and marks the sale documented, in one transaction.
	MarkDocumented(ctx context.Context, saleID string, doc Document) error
	// DiscardPending deletes a pending sale that was never printed, with an audit entry.
	DiscardPending(ctx context.Context, saleID, reason string) error
}

// Completed is what the cashier sees after a successful payment.
type Completed struct {
	SaleID   string
	Total    money.Cents
	Change   money.Cents
	Document Document
}

// ErrPrintUnknown means the receipt may have printed: the sale stays pending until someone
// checks the printer, so it is never printed twice.
var ErrPrintUnknown = errors.New("receipt outcome unknown")

// Checkout pays and documents sales. Its methods block on storage and the printer: call them
// off the UI goroutine.
type Checkout struct {
	Printer fiscal.Printer
	Journal Journal
	NewID   func() string
	Now     func() time.Time
}

// CashChange validates a cash tender for a total and returns the change.
func CashChange(total, tendered money.Cents) (money.Cents, error) {
	if total <= 0 {
		return 0, ErrEmptySale
	}
	if tendered > money.MaxAmount*10 {
		return 0, ErrAmountTooLarge
	}
	if tendered < total {
		return 0, ErrTenderTooLow
	}
	return tendered - total, nil
}

// PayCash records the sale as paid in cash, prints its receipt and records the document. The
// sale is written (pending) before printing and marked documented after, so a crash in between
// leaves it visible as pending, never lost.
func (c *Checkout) PayCash(ctx context.Context, s *Sale, tendered money.Cents) (Completed, error) {
	if len(s.Lines) == 0 {
		return Completed{}, ErrEmptySale
	}
	total := s.Total()
	change, err := CashChange(total, tendered)
	if err != nil {
		return Completed{}, err
	}
	pay := Payment{ID: c.NewID(), Method: fiscal.Cash, Amount: total, Tendered: tendered, Change: change}
	if err := c.Journal.SavePending(ctx, s, []Payment{pay}, c.Now()); err != nil {
		return Completed{}, fmt.Errorf("save sale %s: %w", s.ID, err)
	}
	ref, err := c.Printer.PrintReceipt(ctx, ReceiptFor(s, []Payment{pay}))
	if err != nil {
		if errors.Is(err, fiscal.ErrOutcomeUnknown) {
			return Completed{}, fmt.Errorf("print sale %s: %w: %w", s.ID, ErrPrintUnknown, err)
		}
		return Completed{}, fmt.Errorf("print sale %s: %w", s.ID, err)
	}
	doc := Document{UUID: c.NewID(), Kind: "receipt", DocumentRef: ref}
	if err := c.Journal.MarkDocumented(ctx, s.ID, doc); err != nil {
		return Completed{}, fmt.Errorf("record document %s of sale %s: %w", ref.ID(), s.ID, err)
	}
	return Completed{SaleID: s.ID, Total: total, Change: change, Document: doc}, nil
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
