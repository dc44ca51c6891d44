package checkout

import (
	"context"
	"fmt"
	"regexp"
	"strconv"

	"till/fiscal"
	"till/money"
)

var documentNumber = regexp.MustCompile(`^(\d{1,4})-(\d{1,4})$`)

// ParseDocumentNumber reads a receipt number as printed, "ZZZZ-NNNN".
func ParseDocumentNumber(s string) (z, n int, err error) {
	m := documentNumber.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, fmt.Errorf("%q: %w", s, ErrBadDocumentNumber)
	}
	z, _ = strconv.Atoi(m[1])
	n, _ = strconv.Atoi(m[2])
	if z < 1 || n < 1 {
		return 0, 0, fmt.Errorf("%q: %w", s, ErrBadDocumentNumber)
	}
	return z, n, nil
}

// ConfirmPrinted records a person's word that the uncertain receipt of a sale was issued with
// number ("ZZZZ-NNNN", read on the paper or in the printer's journal). Nothing is printed.
func (c *Checkout) ConfirmPrinted(ctx context.Context, saleID, number, person string) (Completed, error) {
	z, n, err := ParseDocumentNumber(number)
	if err != nil {
		return Completed{}, err
	}
	if person == "" {
		return Completed{}, fmt.Errorf("%w: who confirms", ErrBadSlip)
	}
	if !c.own.claim(saleKey(saleID)) {
		return Completed{}, ErrBusy
	}
	defer c.own.release(saleKey(saleID))
	s, err := c.Journal.LoadSale(ctx, saleID)
	if err != nil {
		return Completed{}, err
	}
	attempts, err := c.Journal.SaleAttempts(ctx, saleID)
	if err != nil {
		return Completed{}, err
	}
	var electronic []Payment
	for _, a := range attempts {
		if a.State == AttemptApproved {
			electronic = append(electronic, Payment{ID: a.ID, Method: a.Method, Amount: a.Authorized})
		}
	}
	tendered, err := c.Journal.CashTendered(ctx, saleID)
	if err != nil {
		return Completed{}, err
	}
	ref := fiscal.DocumentRef{ZNumber: z, Number: n, IssuedAt: c.Now(), Amount: s.Total()}
	if st, err := c.Printer.Status(ctx); err == nil {
		ref.PrinterSerial = st.Serial // best effort: the serial only labels the document
	}
	var change money.Cents
	if due := s.Total() - Approved(attempts); tendered > due {
		change = tendered - due
	}
	return c.documented(ctx, s, ref, electronic, change, person)
}

// ConfirmNotPrinted records a person's word that the uncertain receipt of a sale was not
// issued, then prints it now with the payments already recorded.
func (c *Checkout) ConfirmNotPrinted(ctx context.Context, saleID, person string) (Completed, error) {
	if person == "" {
		return Completed{}, fmt.Errorf("%w: who confirms", ErrBadSlip)
	}
	s, err := c.Journal.LoadSale(ctx, saleID)
	if err != nil {
		return Completed{}, err
	}
	tendered, err := c.Journal.CashTendered(ctx, saleID)
	if err != nil {
		return Completed{}, err
	}
	due, _, err := c.Due(ctx, s)
	if err != nil {
		return Completed{}, err
	}
	if tendered == 0 {
		tendered = due
	}
	if err := c.printerReady(ctx); err != nil {
		return Completed{}, err
	}
	if err := c.Journal.ClearPrintUncertain(ctx, saleID, person); err != nil {
		return Completed{}, err
	}
	return c.Complete(ctx, s, tendered)
}
