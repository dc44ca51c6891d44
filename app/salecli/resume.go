package salecli

import (
	"context"
	"strings"

	"till/app/boot"
	"till/app/checkout"
	"till/app/errtext"
	"till/money"
)

// resume handles a sale taken up again: one already closed is reported as it is; an uncertain
// receipt waits for --printed or --not-printed; an unknown payment is not paid over. done
// is false when the sale can go on to be paid.
func resume(ctx context.Context, t *boot.Till, o options, op checkout.Operator, out *printer) (int, bool, error) {
	st, err := t.DB.Sale(ctx, o.resume)
	if err != nil {
		return exitUnknown, true, errtext.Wrap(err, "cli.sale.sale", map[string]any{"ID": o.resume})
	}
	switch {
	case st.State == "documented":
		return exitOK, true, out.sale(ctx, t.DB, st.ID, 0, nil)
	case st.State == "cancelled":
		out.sale(ctx, t.DB, st.ID, 0, nil)
		return exitRefused, true, errtext.Say("cli.sale.cancelled", nil)
	case o.slip != "":
		return settleBySlip(ctx, t, st.ID, o, out)
	case o.printed != "":
		done, err := t.Checkout.ConfirmPrinted(ctx, st.ID, o.printed, person(op))
		if err != nil {
			return exitCode(err), true, err
		}
		return exitOK, true, out.sale(ctx, t.DB, st.ID, done.Change, done.Warning)
	case o.notPrinted:
		done, err := t.Checkout.ConfirmNotPrinted(ctx, st.ID, person(op))
		if err != nil {
			out.sale(ctx, t.DB, st.ID, 0, nil)
			return exitCode(err), true, err
		}
		return exitOK, true, out.sale(ctx, t.DB, st.ID, done.Change, done.Warning)
	case st.PrintUncertain:
		out.sale(ctx, t.DB, st.ID, 0, nil)
		return exitUnknown, true, checkout.ErrPrintUncertain
	}
	attempts, err := t.DB.SaleAttempts(ctx, st.ID)
	if err != nil {
		return exitUnknown, true, err
	}
	for _, a := range attempts {
		if a.State.Unresolved() {
			out.sale(ctx, t.DB, st.ID, 0, nil)
			return exitUnknown, true, &checkout.BlockedError{Attempt: a, SameSale: true}
		}
	}
	return 0, false, nil
}

// settleBySlip lets a manager settle the sale's unknown payment from the terminal's slip; the
// sale then waits, like any pending sale, for the rest and its document.
func settleBySlip(ctx context.Context, t *boot.Till, saleID string, o options, out *printer) (int, bool, error) {
	slip, err := parseSlip(o.slip)
	if err != nil {
		return exitUnknown, true, err
	}
	attempts, err := t.DB.SaleAttempts(ctx, saleID)
	if err != nil {
		return exitUnknown, true, err
	}
	for _, a := range attempts {
		if !a.State.Unresolved() {
			continue
		}
		if _, err := t.Checkout.ResolveByHand(ctx, a.ID, slip, o.manager); err != nil {
			return exitUnknown, true, err
		}
		return exitOK, true, out.sale(ctx, t.DB, saleID, 0, nil)
	}
	return exitUnknown, true, errtext.Say("cli.sale.nothing.to.settle", map[string]any{"ID": saleID})
}

// parseSlip reads approved:STAN:AMOUNT[:AUTH] or declined.
func parseSlip(s string) (checkout.Slip, error) {
	parts := strings.Split(s, ":")
	bad := errtext.Wrap(checkout.ErrBadSlip, "cli.sale.slip.format", map[string]any{"Slip": s})
	switch {
	case len(parts) == 1 && parts[0] == "declined":
		return checkout.Slip{}, nil
	case parts[0] != "approved" || len(parts) < 3 || len(parts) > 4:
		return checkout.Slip{}, bad
	}
	amount, err := money.Parse(parts[2])
	if err != nil {
		return checkout.Slip{}, bad
	}
	slip := checkout.Slip{Approved: true, STAN: parts[1], Amount: amount}
	if len(parts) == 4 {
		slip.AuthCode = parts[3]
	}
	return slip, nil
}
