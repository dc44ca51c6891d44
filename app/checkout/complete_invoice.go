package checkout

import (
	"context"
	"errors"
	"fmt"
	"time"

	"till/money"
)

// InvoiceJournal issues an invoice document for a pending sale in one transaction, taking the
// next yearly number and asking build for the XML with it.
type InvoiceJournal interface {
	// DocumentInvoice marks exactly the listed approved attempts documented with the invoice.
	DocumentInvoice(ctx context.Context, saleID, customerID string, at time.Time, attemptIDs []string,
		build func(number, year int) ([]byte, error)) (Document, error)
}

// ErrNoInvoices means the journal cannot issue invoices.
var ErrNoInvoices = errors.New("this till cannot issue invoices")

// CompleteInvoice documents a sale with an invoice (FatturaPA XML) for a saved customer instead
// of a receipt: the cash for the rest is written first, then the numbered invoice, its XML and
// the documented sale in one transaction.
func (c *Checkout) CompleteInvoice(ctx context.Context, s *Sale, tendered money.Cents, customer Customer, seller Seller) (Completed, error) {
	if err := ValidateSale(s); err != nil {
		return Completed{}, err
	}
	ij, ok := c.Journal.(InvoiceJournal)
	if !ok || c.Invoices == nil {
		return Completed{}, ErrNoInvoices
	}
	if err := customer.Validate(); err != nil {
		return Completed{}, err
	}
	if customer.ID == "" {
		return Completed{}, fmt.Errorf("invoice: the customer must be saved first")
	}
	if !c.own.claim(saleKey(s.ID)) {
		return Completed{}, ErrBusy
	}
	defer c.own.release(saleKey(s.ID))
	electronic, cash, change, err := c.payments(ctx, s, tendered)
	if err != nil {
		return Completed{}, err
	}
	if err := c.Journal.SavePending(ctx, s, cash, nil, c.Now()); err != nil {
		return Completed{}, fmt.Errorf("save sale %s: %w", s.ID, err)
	}
	now := c.Now()
	payments := append(electronic, cash...)
	ids := make([]string, 0, len(electronic))
	for _, p := range electronic {
		ids = append(ids, p.ID)
	}
	doc, err := ij.DocumentInvoice(ctx, s.ID, customer.ID, now, ids, func(number, year int) ([]byte, error) {
		return c.Invoices.Invoice(InvoiceData{Sale: s, Payments: payments, Customer: customer, Seller: seller,
			Number: number, Year: year, Date: now})
	})
	if err != nil {
		return Completed{}, err
	}
	c.step("documented")
	if doc.Label == "" {
		doc.Label = fmt.Sprintf("%d/%d", doc.Number, now.Year())
	}
	done := Completed{SaleID: s.ID, Total: s.Total(), Change: change, Document: doc}
	if err := c.courtesyInvoice(ctx, s, payments, customer, doc.Label); err != nil {
		done.Warning = fmt.Errorf("courtesy copy of invoice %s: %w", doc.Label, err)
	}
	return done, nil
}
