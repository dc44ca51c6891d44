package ui

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2/widget"

	"till/app/checkout"
	"till/money"
)

// handForm is the dialog in which a manager settles a payment whose outcome the terminal cannot
// be asked about, from what its slip (or its journal) says.
type handForm struct {
	attemptID string
	title     string
	outcome   *widget.RadioGroup
	stan      *dialogEntry
	amount    *dialogEntry
	auth      *dialogEntry
	manager   *dialogEntry
	dialog    *modal
}

func newHandForm(a checkout.Attempt, device string) *handForm {
	f := &handForm{attemptID: a.ID,
		title:   tr("hand.title", map[string]any{"Device": device, "Method": methodName(a.Method), "Amount": a.Requested.String()}),
		outcome: widget.NewRadioGroup([]string{tr("hand.approved"), tr("hand.declined")}, nil),
		stan:    newDialogEntry(), amount: newDialogEntry(), auth: newDialogEntry(), manager: newDialogEntry()}
	f.outcome.Horizontal = true
	f.stan.SetPlaceHolder(tr("hand.stan.hint"))
	f.amount.SetText(a.Requested.Plain())
	f.auth.SetPlaceHolder(tr("hand.auth.hint"))
	return f
}

func (f *handForm) items() []*widget.FormItem {
	return []*widget.FormItem{
		widget.NewFormItem(tr("hand.outcome"), f.outcome),
		widget.NewFormItem(tr("hand.stan"), f.stan),
		widget.NewFormItem(tr("hand.amount"), f.amount),
		widget.NewFormItem(tr("hand.auth"), f.auth),
		widget.NewFormItem(tr("hand.manager"), f.manager),
	}
}

// slip reads the form. The amount is typed as on the keypad: "800" is 8,00 €, and "8,00" too.
func (f *handForm) slip() (checkout.Slip, string, error) {
	manager := strings.TrimSpace(f.manager.Text)
	switch f.outcome.Selected {
	case tr("hand.declined"):
		return checkout.Slip{}, manager, nil
	case tr("hand.approved"):
	default:
		return checkout.Slip{}, manager, errNoOutcome
	}
	amount, err := typedAmount(f.amount.Text)
	if err != nil {
		return checkout.Slip{}, manager, errBadAmount
	}
	return checkout.Slip{Approved: true, STAN: strings.TrimSpace(f.stan.Text), Amount: amount,
		AuthCode: strings.TrimSpace(f.auth.Text)}, manager, nil
}

// Form errors found before asking the core; shown in the cashier's language.
var (
	errNoOutcome = errors.New("no outcome chosen")
	errBadAmount = errors.New("amount not readable")
)

// typedAmount reads an amount typed by a person: with a comma or a dot it is euros ("8,00"),
// digits alone are cents, as on the keypad ("800").
func typedAmount(s string) (money.Cents, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "€"))
	if strings.ContainsAny(s, ",.") {
		v, err := money.Parse(s)
		if err != nil || v <= 0 || v > money.MaxAmount {
			return 0, errBadAmount
		}
		return v, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v <= 0 || money.Cents(v) > money.MaxAmount {
		return 0, errBadAmount
	}
	return money.Cents(v), nil
}

// resolveByHand lets a manager settle an unknown payment from the terminal's slip; the
// decision is written with an audit entry naming the manager. A cashier asks a manager's PIN
// first.
func (p *paymentScreen) resolveByHand() {
	if a := p.unresolved(); a == nil || p.busy {
		return
	}
	p.t.asManager("hand.button", p.openHand)
}

// openHand opens the form for the manager op; an operator of the till is its manager already.
func (p *paymentScreen) openHand(op checkout.Operator) {
	a := p.unresolved()
	if a == nil || p.busy {
		return // settled while the PIN was typed
	}
	f := newHandForm(*a, p.deviceName(*a))
	if op.ID != "" {
		f.manager.SetText(tr("operator.header", map[string]any{"Name": op.Name, "Number": op.Number}))
	}
	done := func() {
		if p.hand == f {
			p.hand = nil
		}
	}
	p.hand = f
	f.dialog = p.t.openForm(form{title: f.title, items: f.items(), onBack: done, onConfirm: func() {
		done()
		p.submitHand(f)
	}})
}

// submitHand checks the form and asks the core to settle the attempt. Every refusal changes
// nothing and says why; a settlement, or an attempt settled meanwhile, reloads the screen.
func (p *paymentScreen) submitHand(f *handForm) {
	slip, manager, err := f.slip()
	switch {
	case errors.Is(err, errNoOutcome):
		p.setMessage(tr("hand.err.outcome"), true)
		return
	case err != nil:
		p.setMessage(tr("hand.err.amount"), true)
		return
	}
	p.busy = true
	p.refresh()
	p.t.bridge.run(func() func() {
		_, err := p.t.deps.Checkout.ResolveByHand(context.Background(), f.attemptID, slip, manager)
		return func() {
			p.busy = false
			if err != nil {
				p.setMessage(p.errorText(err), true)
				if errors.Is(err, checkout.ErrStale) {
					p.reload() // settled meanwhile: show what is recorded
					return
				}
				p.refresh()
				return
			}
			p.setMessage(tr("hand.done"), false)
			p.reload()
		}
	})
}
