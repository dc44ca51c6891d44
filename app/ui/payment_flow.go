package ui

import (
	"context"
	"errors"

	"till/app/checkout"
	"till/fiscal"
	"till/money"
)

// doConfirm issues the document ("emissione del documento"): for Coverflex or card it first
// sends the amount to a terminal; for cash, nothing typed means the exact amount.
func (p *paymentScreen) doConfirm() {
	if p.busy {
		return
	}
	if p.docKind == "invoice" && p.customer == nil {
		p.pickCustomer()
		return
	}
	switch {
	case p.dueNow == 0:
		p.issue(0)
	case p.method == fiscal.Cash:
		tendered := p.tenderedAmount()
		if tendered == 0 {
			tendered = p.dueNow
		}
		if _, err := checkout.CashChange(p.dueNow, tendered); err != nil {
			p.setMessage(errorText(err), true)
			return
		}
		p.issue(tendered)
	case p.method == fiscal.Card || p.method == fiscal.Coverflex:
		p.startElectronic()
	}
}

// issue documents the sale in the background; the screen stays until it is done.
func (p *paymentScreen) issue(tendered money.Cents) {
	sale := p.t.register.Sale()
	p.busy = true
	p.setMessage(tr("printing"), false)
	p.refresh()
	kind, customer, seller := p.docKind, p.customer, p.t.deps.Seller
	p.t.bridge.run(func() func() {
		var done checkout.Completed
		var err error
		if kind == "invoice" && customer != nil {
			done, err = p.t.deps.Checkout.CompleteInvoice(context.Background(), sale, tendered, *customer, seller)
		} else {
			done, err = p.t.deps.Checkout.Complete(context.Background(), sale, tendered)
		}
		return func() {
			p.busy = false
			if err != nil {
				p.t.savedPending = true
				p.t.printUnknown = p.t.printUnknown || errors.Is(err, checkout.ErrPrintUnknown)
				msg := errorText(err)
				switch {
				case errors.Is(err, checkout.ErrPrintUnknown) || errors.Is(err, fiscal.ErrOutcomeUnknown):
					msg += " " + tr("err.sale.kept.unknown")
				case errors.Is(err, fiscal.ErrNotReady) || errors.Is(err, fiscal.ErrRefused):
					msg += " " + tr("err.sale.kept")
				}
				p.setMessage(msg, true)
				p.refresh()
				return
			}
			p.t.finishSale(done)
		}
	})
}

// startElectronic checks the amount and picks the terminal: the only one, or the cashier's
// choice when several are enabled for this till.
func (p *paymentScreen) startElectronic() {
	amount := p.electronicAmount()
	if amount <= 0 {
		p.setMessage(errorText(checkout.ErrZeroPrice), true)
		return
	}
	if amount > p.dueNow {
		p.setMessage(errorText(checkout.ErrOverDue), true)
		return
	}
	devices := p.cards
	if p.method == fiscal.Coverflex {
		devices = p.avail.Terminals
	}
	switch len(devices) {
	case 0:
		p.setMessage(tr("err.no.terminal"), true)
	case 1:
		p.t.exchange.start(p.method, amount, devices[0], p.merchant)
	default:
		p.t.prompt.open(p.method, amount, devices, p.merchant)
	}
}

// startPayment opens the payment screen, unless the sale is empty.
func (t *Till) startPayment() {
	if len(t.register.Sale().Lines) == 0 {
		t.sale.setMessage(errorText(checkout.ErrEmptySale), true)
		return
	}
	t.register.ClearEntry()
	t.sale.refreshDisplay()
	t.payment.open()
	t.show(t.payment)
}

// finishSale starts a new sale and tells the cashier the document number and the change.
func (t *Till) finishSale(done checkout.Completed) {
	if t.deps.Sync != nil {
		t.deps.Sync.Kick() // the documented sale is in the outbox: send it now
	}
	t.register.Clear()
	t.savedPending, t.printUnknown = false, false
	t.payment.customer, t.payment.docKind = nil, "receipt"
	t.sale.apply(nil)
	key := "sale.done"
	if done.Document.Kind == "invoice" {
		key = "sale.done.invoice"
	}
	msg := tr(key, map[string]any{"Number": done.Document.Label, "Total": done.Total.String()})
	if done.Change > 0 {
		msg += " · " + tr("sale.change", map[string]any{"Change": done.Change.String()})
	}
	if done.Warning != nil {
		msg += " · " + tr("sale.warning", map[string]any{"Warning": errorText(done.Warning)})
	}
	t.sale.setMessage(msg, done.Warning != nil)
	t.show(t.sale)
}
