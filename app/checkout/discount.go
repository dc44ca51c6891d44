package checkout

import (
	"errors"
	"fmt"

	"till/money"
)

// Errors of discounts the cashier must act on. Each refuses the change and changes nothing.
var (
	// ErrBadDiscount: a discount must be a percentage between 0,01 and 99,99 or an amount
	// that leaves at least one cent to pay.
	ErrBadDiscount = errors.New("discount out of range")
	// ErrDiscountNeedsConfirm: the discount takes more than DiscountConfirmAbove off; ask the
	// cashier (a manager, once operators exist) and apply again with confirmed set.
	ErrDiscountNeedsConfirm = errors.New("discount over the threshold needs a confirmation")
	// ErrSaleDiscountTooLarge: after the change (a line voided or discounted) the sale's
	// discount, an amount, would leave nothing to pay or take more than DiscountConfirmAbove
	// unconfirmed. It wraps ErrBadDiscount; the cashier changes or removes the sale's discount
	// first.
	ErrSaleDiscountTooLarge = fmt.Errorf("%w: the sale's discount no longer fits what is left", ErrBadDiscount)
)

// DiscountConfirmAbove is the share of an amount (in hundredths of a percent) above which a
// discount needs a confirmation: 50 %.
const DiscountConfirmAbove money.Rate = 5000

// Discount is a reduction: a percentage in hundredths (1000 is 10 %) or an amount in cents.
// At most one of the two is set; the zero value is no discount.
type Discount struct {
	Percent money.Rate
	Amount  money.Cents
}

// IsZero tells whether there is no discount.
func (d Discount) IsZero() bool { return d.Percent == 0 && d.Amount == 0 }

// Of is the cents the discount takes off base: a percentage rounded half up to the cent, an
// amount as it is. Never more than base.
func (d Discount) Of(base money.Cents) money.Cents {
	var off money.Cents
	switch {
	case d.Percent > 0:
		off = money.Cents((int64(base)*int64(d.Percent) + 5000) / 10000)
	case d.Amount > 0:
		off = d.Amount
	}
	return min(max(off, 0), base)
}

// Check refuses a discount that is out of range for base (ErrBadDiscount), or over
// DiscountConfirmAbove unless confirmed (ErrDiscountNeedsConfirm). The zero Discount passes.
func (d Discount) Check(base money.Cents, confirmed bool) error {
	switch {
	case d.Percent < 0 || d.Amount < 0 || (d.Percent > 0 && d.Amount > 0):
		return ErrBadDiscount
	case d.Percent >= 10000:
		return ErrBadDiscount
	case d.IsZero():
		return nil
	}
	// A percentage that rounds to nothing is refused too: the cashier asked for a discount.
	off := d.Of(base)
	if off <= 0 || base-off < 1 || (d.Amount > 0 && d.Amount >= base) {
		return ErrBadDiscount
	}
	if !confirmed && int64(off)*10000 > int64(base)*int64(DiscountConfirmAbove) {
		return ErrDiscountNeedsConfirm
	}
	return nil
}

// CheckDiscounts checks every discount of a sale against what it is taken from: each line's
// against its gross, the sale's against the subtotal. Without confirmed, a discount over
// DiscountConfirmAbove is refused with ErrDiscountNeedsConfirm. A sale built without a Register
// (`till sale`) is checked with it before anything is charged.
func CheckDiscounts(s *Sale, confirmed bool) error {
	for i, l := range s.Lines {
		if err := l.Discount.Check(l.Gross(), confirmed); err != nil {
			return fmt.Errorf("line %d: %w", i+1, err)
		}
	}
	if err := s.Discount.Check(s.DiscountBase(), confirmed); err != nil {
		return fmt.Errorf("sale: %w", err)
	}
	return nil
}

// DiscountLine sets (or, with a zero Discount, removes) the discount of line i. A discount
// over DiscountConfirmAbove is refused with ErrDiscountNeedsConfirm unless confirmed; one under
// which the sale's own discount (an amount) would no longer fit, as in VoidLine, with
// ErrSaleDiscountTooLarge.
func (r *Register) DiscountLine(i int, d Discount, confirmed bool) error {
	if i < 0 || i >= len(r.sale.Lines) {
		return ErrNoLine
	}
	if err := d.Check(r.sale.Lines[i].Gross(), confirmed); err != nil {
		return err
	}
	old := r.sale.Lines[i].Discount
	r.sale.Lines[i].Discount = d
	if err := r.sale.Discount.Check(r.sale.DiscountBase(), r.saleDiscountConfirmed); err != nil {
		r.sale.Lines[i].Discount = old
		return ErrSaleDiscountTooLarge
	}
	return nil
}

// DiscountSale sets (or removes) the discount on the whole sale, after the lines' own.
func (r *Register) DiscountSale(d Discount, confirmed bool) error {
	if len(r.sale.Lines) == 0 {
		return ErrEmptySale
	}
	if err := d.Check(r.sale.DiscountBase(), confirmed); err != nil {
		return err
	}
	// Only a confirmation that was needed counts: one passed along for a small discount must
	// not let it grow past the threshold later.
	r.sale.Discount = d
	r.saleDiscountConfirmed = confirmed && errors.Is(d.Check(r.sale.DiscountBase(), false), ErrDiscountNeedsConfirm)
	return nil
}
