package checkout

import (
	"errors"

	"till/money"
)

// Errors of discounts the cashier must act on.
var (
	// ErrBadDiscount: a discount must be a percentage between 0,01 and 99,99 or an amount
	// that leaves at least one cent to pay.
	ErrBadDiscount = errors.New("discount out of range")
	// ErrDiscountNeedsConfirm: the discount takes more than DiscountConfirmAbove off; ask the
	// cashier (a manager, once operators exist) and apply again with confirmed set.
	ErrDiscountNeedsConfirm = errors.New("discount over the threshold needs a confirmation")
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

// check refuses a discount that is out of range for base, or over the threshold unless
// confirmed.
func (d Discount) check(base money.Cents, confirmed bool) error {
	switch {
	case d.Percent < 0 || d.Amount < 0 || (d.Percent > 0 && d.Amount > 0):
		return ErrBadDiscount
	case d.Percent >= 10000:
		return ErrBadDiscount
	case d.IsZero():
		return nil
	}
	off := d.Of(base)
	if off <= 0 || base-off < 1 || (d.Amount > 0 && d.Amount >= base) {
		return ErrBadDiscount
	}
	if !confirmed && int64(off)*10000 > int64(base)*int64(DiscountConfirmAbove) {
		return ErrDiscountNeedsConfirm
	}
	return nil
}

// DiscountLine sets (or, with a zero Discount, removes) the discount of line i. A discount
// over DiscountConfirmAbove is refused with ErrDiscountNeedsConfirm unless confirmed.
func (r *Register) DiscountLine(i int, d Discount, confirmed bool) error {
	if i < 0 || i >= len(r.sale.Lines) {
		return ErrNoLine
	}
	if err := d.check(r.sale.Lines[i].Gross(), confirmed); err != nil {
		return err
	}
	old := r.sale.Lines[i].Discount
	r.sale.Lines[i].Discount = d
	// The sale's discount must still leave a cent to pay on the new subtotal.
	if err := r.sale.Discount.check(r.sale.Subtotal(), true); err != nil {
		r.sale.Lines[i].Discount = old
		return err
	}
	return nil
}

// DiscountSale sets (or removes) the discount on the whole sale, after the lines' own.
func (r *Register) DiscountSale(d Discount, confirmed bool) error {
	if len(r.sale.Lines) == 0 {
		return ErrEmptySale
	}
	if err := d.check(r.sale.Subtotal(), confirmed); err != nil {
		return err
	}
	r.sale.Discount = d
	return nil
}
