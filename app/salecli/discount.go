package salecli

import (
	"fmt"
	"strings"

	"till/app/checkout"
	"till/app/errtext"
	"till/money"
)

// parseDiscount reads a discount as a person writes it: "10%" or "12,5 %" for a percentage,
// "1,50" (or "1,50 €") for an amount. Anything else, zero included, is ErrBadDiscount.
func parseDiscount(s string) (checkout.Discount, error) {
	s = strings.TrimSpace(s)
	if pct, ok := strings.CutSuffix(s, "%"); ok {
		// A percentage has the shape of an amount: two decimals, read in hundredths.
		v, err := money.Parse(strings.TrimSpace(pct))
		if err != nil || v <= 0 || strings.Contains(pct, "€") {
			return checkout.Discount{}, fmt.Errorf("%q: %w", s, checkout.ErrBadDiscount)
		}
		return checkout.Discount{Percent: money.Rate(v)}, nil
	}
	v, err := money.Parse(s)
	if err != nil || v <= 0 {
		return checkout.Discount{}, fmt.Errorf("%q: %w", s, checkout.ErrBadDiscount)
	}
	return checkout.Discount{Amount: v}, nil
}

// applyDiscounts checks the discounts asked on the command line before anything is charged:
// each new line's own (already set by parseLine) against its gross, then the sale's against
// the subtotal; over 50 % each needs --confirm-discount. A resumed sale keeps the discount it
// was recorded with: it may already be partly paid.
func applyDiscounts(sale *checkout.Sale, fresh []checkout.Line, o options) error {
	for i, l := range fresh {
		if err := l.Discount.Check(l.Gross(), o.confirmDiscount); err != nil {
			return errtext.Wrap(err, "cli.sale.line", map[string]any{"Line": o.lines[i]})
		}
	}
	if o.discount != "" {
		if o.resume != "" {
			return errtext.Say("cli.sale.discount.resume", nil)
		}
		d, err := parseDiscount(o.discount)
		if err != nil {
			return errtext.Wrap(err, "cli.sale.discount", map[string]any{"Discount": o.discount})
		}
		if err := d.Check(sale.DiscountBase(), o.confirmDiscount); err != nil {
			return errtext.Wrap(err, "cli.sale.discount", map[string]any{"Discount": o.discount})
		}
		sale.Discount = d
	}
	// Confirmed: a resumed sale's own discounts were accepted when it was recorded.
	return checkout.CheckDiscounts(sale, true)
}
