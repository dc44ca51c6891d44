package checkout

import (
	"context"
	"errors"
	"fmt"

	"till/money"
)

// Plan is how the cashier means to finish a sale. Everything it says is checked before any
// money moves, so a bad customer, a short cash part or a printer that cannot print is found
// before the terminal charges anything.
type Plan struct {
	// Customer, when set, means an invoice for this saved customer; nil means a receipt.
	Customer *Customer
	// Electronic lists the electronic amounts still to request, in order.
	Electronic []money.Cents
	// CashKnown says Tendered is the cash that pays what the terminals do not (a headless sale
	// knows it all at once); in the window the rest is decided after the voucher.
	CashKnown bool
	Tendered  money.Cents
}

// ValidateSale checks the lines themselves: something to sell, every line worth at least a
// cent (a printer may round a smaller one to nothing), discounts in range (CheckDiscounts; the
// threshold's confirmation is the caller's to ask), a total the till can take.
func ValidateSale(s *Sale) error {
	if len(s.Lines) == 0 {
		return ErrEmptySale
	}
	for i, l := range s.Lines {
		switch {
		case l.UnitPrice <= 0:
			return fmt.Errorf("line %d: %w", i+1, ErrZeroPrice)
		case l.QtyMilli <= 0 || l.QtyMilli > maxQuantity*1000:
			return fmt.Errorf("line %d: %w", i+1, ErrBadQuantity)
		case int64(l.UnitPrice)*l.QtyMilli < 1000:
			return fmt.Errorf("line %d (%s × %s): %w", i+1, money.Qty(l.QtyMilli), l.UnitPrice, ErrLineTooSmall)
		case l.Gross() > money.MaxAmount: // the printer books the item before its discount
			return fmt.Errorf("line %d: %w", i+1, ErrAmountTooLarge)
		}
	}
	if err := CheckDiscounts(s, true); err != nil {
		return err
	}
	if s.Total() > money.MaxAmount {
		return ErrAmountTooLarge
	}
	return nil
}

// Preflight checks a plan against the sale as recorded: the lines, what is left to pay, the
// split between terminals and cash, the invoice's customer and, when a document will be
// printed, that the printer is ready. It sends nothing.
func (c *Checkout) Preflight(ctx context.Context, s *Sale, p Plan) error {
	if err := ValidateSale(s); err != nil {
		return err
	}
	due, attempts, err := c.Due(ctx, s)
	if err != nil {
		return err
	}
	for _, a := range attempts {
		if a.State.Unresolved() {
			return &BlockedError{Attempt: a, SameSale: true}
		}
	}
	var electronic money.Cents
	for _, amount := range p.Electronic {
		if amount <= 0 {
			return ErrZeroPrice
		}
		electronic += amount
	}
	if electronic > due {
		return ErrOverDue
	}
	if p.CashKnown && electronic+p.Tendered < due {
		return ErrTenderTooLow
	}
	if p.Customer != nil {
		if err := p.Customer.Validate(); err != nil {
			return err
		}
		if p.Customer.ID == "" {
			return errors.New("invoice: the customer must be saved first")
		}
		if _, ok := c.Journal.(InvoiceJournal); !ok || c.Invoices == nil {
			return ErrNoInvoices
		}
	}
	if p.Customer == nil || c.CourtesyInvoice {
		return c.printerReady(ctx)
	}
	return nil
}

// printerReady asks the printer whether it can print now.
func (c *Checkout) printerReady(ctx context.Context) error {
	st, err := c.Printer.Status(ctx)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrPrinterNotReady, err)
	}
	if !st.Ready {
		return fmt.Errorf("%w: %s", ErrPrinterNotReady, st.Detail)
	}
	return nil
}
