package salecli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"till/app/boot"
	"till/app/checkout"
	"till/app/config"
	"till/app/errtext"
	"till/fiscal"
	"till/internal/i18n"
	"till/money"
)

// salePlan is the checked plan of a headless sale and the electronic requests it makes.
type salePlan struct {
	checkout.Plan
	electronic []electronicPay
}

type electronicPay struct{ req checkout.ElectronicRequest }

// plan reads the --pay list against what the sale still owes: electronic amounts (the rest
// when none is given; more than the rest is refused), the cash that pays what they leave, and
// the invoice's customer, saved so it can be picked again.
func plan(ctx context.Context, t *boot.Till, o options, sale *checkout.Sale) (salePlan, error) {
	var p salePlan
	if err := checkout.ValidateSale(sale); err != nil {
		return p, err
	}
	due, _, err := t.Checkout.Due(ctx, sale)
	if err != nil {
		return p, err
	}
	doc, err := t.Config(ctx)
	if err != nil {
		return p, err
	}
	rest := due
	p.CashKnown = true
	for _, s := range o.pays {
		method, amount, err := parsePay(s)
		if err != nil {
			return p, err
		}
		if method == fiscal.Cash {
			p.Tendered = amount
			if amount == 0 {
				p.Tendered = rest // cash with no amount: the exact rest
			}
			continue
		}
		if amount == 0 {
			amount = rest
		}
		if amount <= 0 || amount > rest {
			return p, errtext.Wrap(fmt.Errorf("--pay %s: %w (%s)", s, checkout.ErrOverDue, rest), "cli.sale.pay.over",
				map[string]any{"Pay": s, "Rest": rest.String()})
		}
		rest -= amount
		dev, err := pickTerminal(doc, method, o.terminal)
		if err != nil {
			return p, err
		}
		d, err := t.DeviceFor(ctx, doc, dev)
		if err != nil {
			return p, err
		}
		req := checkout.ElectronicRequest{Method: method, Amount: amount, Device: d}
		if method == fiscal.Coverflex {
			req.MerchantID = doc.SalesPoint.CoverflexMerchantID
		}
		p.electronic = append(p.electronic, electronicPay{req})
		p.Electronic = append(p.Electronic, amount)
	}
	if o.document == "invoice" {
		cu, err := o.customer.customer()
		if err != nil {
			return p, err
		}
		if cu, err = t.DB.SaveCustomer(ctx, cu); err != nil {
			return p, err
		}
		p.Customer = &cu
	}
	return p, nil
}

// pickTerminal chooses the device for an electronic payment: the only one enabled for this
// till, or the one named by --terminal; with several and no choice it fails with the list, as
// the UI would prompt.
func pickTerminal(doc *config.Document, method fiscal.PaymentMethod, terminalID string) (config.Device, error) {
	if doc == nil {
		return config.Device{}, errtext.Say("cli.sale.no.config", nil)
	}
	devices := doc.TerminalsFor(doc.Till.ID)
	if method == fiscal.Coverflex {
		if a := config.Coverflex(doc); !a.Offered {
			var why []string
			for _, c := range a.Failing {
				why = append(why, conditionText(c))
			}
			return config.Device{}, errtext.Say("cli.sale.coverflex.off", map[string]any{"Why": strings.Join(why, "; ")})
		}
	}
	if terminalID != "" {
		for _, d := range devices {
			if d.TerminalID == terminalID {
				return d, nil
			}
		}
		return config.Device{}, errtext.Say("cli.sale.terminal.unknown", map[string]any{"Terminal": terminalID})
	}
	switch len(devices) {
	case 0:
		return config.Device{}, errtext.Say("cli.sale.no.terminal", nil)
	case 1:
		return devices[0], nil
	}
	var list []string
	for _, d := range devices {
		list = append(list, fmt.Sprintf("%s (%s, %s)", d.TerminalID, d.Name, d.Model))
	}
	return config.Device{}, errtext.Say("cli.sale.terminal.choose", map[string]any{"Terminals": strings.Join(list, "; ")})
}

// conditionText names a condition for offering Coverflex that does not hold.
func conditionText(c config.Condition) string {
	switch c {
	case config.AccountEnabled:
		return i18n.T("cli.sale.coverflex.account_enabled")
	case config.SalesPointVisible:
		return i18n.T("cli.sale.coverflex.sales_point_visible")
	case config.MerchantIDSet:
		return i18n.T("cli.sale.coverflex.merchant_id_set")
	case config.TerminalForTill:
		return i18n.T("cli.sale.coverflex.terminal_for_till")
	}
	return string(c)
}

// parseLine reads "DESCRIPTION;QTY;PRICE;DEPT[;DISCOUNT]"; the discount is checked against the
// line by applyDiscounts.
func parseLine(s string, deps []checkout.Department) (checkout.Line, error) {
	parts := strings.Split(s, ";")
	if len(parts) != 4 && len(parts) != 5 {
		return checkout.Line{}, errtext.Say("cli.sale.line.format", map[string]any{"Line": s})
	}
	var disc checkout.Discount
	if len(parts) == 5 && strings.TrimSpace(parts[4]) != "" {
		d, err := parseDiscount(parts[4])
		if err != nil {
			return checkout.Line{}, errtext.Wrap(err, "cli.sale.line", map[string]any{"Line": s})
		}
		disc = d
	}
	qty, err := parseQty(parts[1])
	if err != nil {
		return checkout.Line{}, errtext.Wrap(err, "cli.sale.line.quantity", map[string]any{"Line": s})
	}
	price, err := money.Parse(parts[2])
	if err != nil || price <= 0 || price > money.MaxAmount {
		return checkout.Line{}, errtext.Say("cli.sale.line.price", map[string]any{"Line": s})
	}
	for _, d := range deps {
		if strconv.Itoa(d.Number) == strings.TrimSpace(parts[3]) || strings.EqualFold(d.Name, strings.TrimSpace(parts[3])) {
			return checkout.Line{Description: strings.TrimSpace(parts[0]), QtyMilli: qty, UnitPrice: price, Department: d, Discount: disc}, nil
		}
	}
	return checkout.Line{}, errtext.Say("cli.sale.line.department", map[string]any{"Line": s, "Department": parts[3]})
}

// parseQty reads "2", "0,5" or "1.25" as thousandths.
func parseQty(s string) (int64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 3 {
		return 0, errors.New("at most 3 decimals")
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || w > 9999 {
		return 0, errors.New("not a number from 0 to 9999")
	}
	f := int64(0)
	if frac != "" {
		if f, err = strconv.ParseInt((frac + "00")[:3], 10, 64); err != nil {
			return 0, errors.New("not a number")
		}
	}
	if q := w*1000 + f; q > 0 {
		return q, nil
	}
	return 0, errors.New("must be above 0")
}

func parsePay(s string) (fiscal.PaymentMethod, money.Cents, error) {
	name, amount, hasAmount := strings.Cut(s, ":")
	method := fiscal.PaymentMethod(strings.ToLower(strings.TrimSpace(name)))
	if method != fiscal.Cash && method != fiscal.Card && method != fiscal.Coverflex {
		return "", 0, errtext.Say("cli.sale.pay.method", map[string]any{"Pay": s})
	}
	if !hasAmount {
		return method, 0, nil
	}
	v, err := money.Parse(amount)
	if err != nil || v <= 0 || v > money.MaxAmount*10 {
		return "", 0, errtext.Say("cli.sale.pay.amount", map[string]any{"Pay": s})
	}
	return method, v, nil
}
