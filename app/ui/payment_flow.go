package ui

import (
	"context"
	"errors"
	"strconv"

	"till/app/checkout"
	"till/fiscal"
	"till/money"
)

// doConfirm issues the document ("emissione del documento"): for Coverflex or card it first
// sends the amount to a terminal; for cash, nothing typed means the exact amount.
func (p *paymentScreen) doConfirm() {
	if !p.canConfirm() {
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
				p.issueFailed(sale.ID, sale.Total(), err)
				return
			}
			p.t.finishSale(done)
		}
	})
}

// issueFailed tells why the document was not issued. A receipt the printer may have issued
// blocks CONFERMA and asks the cashier what the paper says: it is never printed again blindly.
func (p *paymentScreen) issueFailed(saleID string, total money.Cents, err error) {
	var be *checkout.BlockedError
	if !errors.As(err, &be) && !errors.Is(err, checkout.ErrTenderTooLow) {
		p.t.savedPending = true // Complete wrote the sale before printing
	}
	msg := p.errorText(err)
	switch {
	case errors.Is(err, checkout.ErrPrintUncertain):
		p.t.printUnknown = true
	case errors.Is(err, fiscal.ErrNotReady) || errors.Is(err, fiscal.ErrRefused):
		msg += " " + tr("err.sale.kept")
	}
	p.setMessage(msg, true)
	p.refresh()
	if errors.Is(err, checkout.ErrPrintUncertain) {
		p.t.askPrinted(saleID, total)
	}
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
		p.t.exchange.start(p.method, amount, devices[0])
	default:
		p.t.prompt.open(p.method, amount, devices)
	}
}

// startPayment opens the payment screen, unless the sale is empty or the start-up recovery
// has not finished: a payment a crash left open may still hold the sale or the terminal.
func (t *Till) startPayment() {
	t.sale.dismissChange()
	if t.recovering {
		t.sale.setMessage(tr("recovery.running"), true)
		return
	}
	typed := t.register.Entry()
	if len(t.register.Sale().Lines) == 0 {
		if typed > 0 {
			// The amount stays on the display: the cashier rings it on a department.
			t.sale.setMessage(tr("pay.typed.no.lines", map[string]any{"Amount": typed.String()}), true)
			return
		}
		t.sale.setMessage(errorText(checkout.ErrEmptySale), true)
		return
	}
	t.register.ClearEntry()
	if n := t.operatorNumber(); n > 0 {
		// Who presses PAGA sells: a switch mid-sale hands the sale over.
		t.register.Sale().Operator = n
	}
	t.sale.refreshDisplay()
	t.payment.open()
	if typed > 0 {
		t.payment.carryTendered(typed)
	}
	t.show(t.payment)
}

// carryTendered takes an amount typed on the sale screen before PAGA as the cash tendered:
// the cashier typed the note received, and it must not vanish.
func (p *paymentScreen) carryTendered(amount money.Cents) {
	p.choose(fiscal.Cash)
	if p.method != fiscal.Cash {
		return // locked by a payment under way: nothing can be tendered yet
	}
	p.entry = strconv.FormatInt(int64(amount), 10)
	p.setMessage(tr("pay.typed.tendered", map[string]any{"Amount": amount.String()}), false)
	p.refresh()
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
	t.sale.setMessage(doneText(done), done.Warning != nil)
	t.sale.showChange(done.Change) // large, until the next key or tap: the cashier counts it out
	t.show(t.sale)
}

// doneText says which document was issued, the change to give, and what the cashier must check.
func doneText(done checkout.Completed) string {
	key := "sale.done"
	if done.Document.Kind == "invoice" {
		key = "sale.done.invoice"
	}
	msg := tr(key, map[string]any{"Number": done.Document.Label, "Total": done.Total.String()})
	if done.Change > 0 {
		msg += " · " + tr("sale.change", map[string]any{"Change": done.Change.String()})
	}
	var mismatch *checkout.AmountMismatch
	switch {
	case errors.As(done.Warning, &mismatch):
		msg += "\n" + tr("sale.warning.mismatch", map[string]any{"Printed": mismatch.Printed.String(), "Sale": mismatch.Sale.String(),
			"Number": mismatch.Document})
	case done.Warning != nil:
		msg += " · " + tr("sale.warning", map[string]any{"Warning": errorText(done.Warning)})
	}
	return msg
}
