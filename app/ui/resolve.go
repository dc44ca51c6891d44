package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"till/app/checkout"
)

// unresolved returns the sale's first attempt whose outcome is not known.
func (p *paymentScreen) unresolved() *checkout.Attempt {
	for i := range p.attempts {
		if s := p.attempts[i].State; s == checkout.AttemptUnknown || s == checkout.AttemptSent {
			return &p.attempts[i]
		}
	}
	return nil
}

// resolveByHand lets a manager settle an unknown payment from the terminal's slip; the
// decision is written with an audit entry naming the manager.
func (p *paymentScreen) resolveByHand() {
	a := p.unresolved()
	if a == nil {
		return
	}
	outcome := widget.NewRadioGroup([]string{tr("hand.approved"), tr("hand.declined")}, nil)
	stan, auth, manager := widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	items := []*widget.FormItem{
		widget.NewFormItem(tr("hand.outcome"), outcome),
		widget.NewFormItem("STAN", stan),
		widget.NewFormItem(tr("hand.auth"), auth),
		widget.NewFormItem(tr("hand.manager"), manager),
	}
	attempt := *a
	dialog.ShowForm(tr("hand.title", map[string]any{"Amount": a.Requested.String(), "Terminal": a.TerminalID}),
		tr("confirm"), tr("back"), items, func(ok bool) {
			if !ok || outcome.Selected == "" {
				return
			}
			p.applyHandResolution(&attempt, outcome.Selected == tr("hand.approved"), strings.TrimSpace(stan.Text),
				strings.TrimSpace(auth.Text), strings.TrimSpace(manager.Text))
		}, p.t.win)
}

func (p *paymentScreen) applyHandResolution(a *checkout.Attempt, approved bool, stan, auth, manager string) {
	p.t.bridge.run(func() func() {
		err := p.t.deps.Checkout.ResolveByHand(context.Background(), a, approved, stan, auth, manager)
		return func() {
			if err != nil {
				p.setMessage(errorText(err), true)
				return
			}
			p.setMessage(tr("hand.done"), false)
			p.reload()
		}
	})
}
