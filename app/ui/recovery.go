package ui

import (
	"context"
	"errors"
	"strings"

	"till/app/checkout"
)

// startRecovery runs the core's start-up recovery in the background before the first sale:
// attempts a crash left open are asked to their terminals, receipts whose printing had started
// are reconciled. PAGA is refused until it is done; then the cashier is told what waits and
// where, and on a real display the retry loop takes over.
func (t *Till) startRecovery() {
	if t.deps.Checkout == nil {
		return
	}
	t.recovering = true
	ctx := t.ctx
	t.bridge.run(func() func() {
		rec, err := t.deps.Checkout.Recover(ctx)
		uncertainReturns := 0
		if t.deps.Returns != nil && err == nil {
			// A refund or void a crash left printing may be on paper: it waits for a person.
			var open []checkout.Return
			open, err = t.deps.Returns.Recover(ctx)
			for _, r := range open {
				if r.State == checkout.ReturnUncertain {
					uncertainReturns++
				}
			}
		}
		pending := 0
		if err != nil {
			// Still say how many sales wait: the cashier must find them in the journal.
			pending, _ = t.deps.Store.PendingCount(ctx)
		}
		return func() {
			t.recovering = false
			if err != nil {
				t.recoveryNote = recoveryFailedText(err, pending)
			} else {
				t.recoveryNote = recoverySummary(rec)
			}
			if uncertainReturns > 0 {
				t.recoveryNote = strings.TrimSpace(t.recoveryNote + " " + trn("recovery.returns", uncertainReturns, nil))
			}
			t.showStartNotes()
			t.startWatch()
		}
	})
}

// showStartNotes shows the start-up notes on the sale screen, one after the other.
func (t *Till) showStartNotes() {
	var notes []string
	for _, n := range []string{t.configNote, t.recoveryNote} {
		if n != "" {
			notes = append(notes, n)
		}
	}
	if len(notes) > 0 {
		t.sale.setMessage(strings.Join(notes, "\n"), true)
	}
}

// recoveryFailedText says that the start-up check failed and how many sales wait, without
// guessing what each waits for (a payment or the printer): the journal names it sale by sale.
func recoveryFailedText(err error, pending int) string {
	text := tr("recovery.failed", map[string]any{"Problem": errorText(err)})
	if pending > 0 {
		text += " " + trn("recovery.pending.unchecked", pending, nil)
	}
	return text
}

// recoverySummary says what the start-up recovery settled and what waits, sale by sale, and
// where to find it. A sale counts once, under what blocks it most: a payment with an unknown
// outcome (the cashier must not pay again), then an uncertain receipt (check the printer),
// then a document still to issue.
func recoverySummary(r checkout.Recovery) string {
	var parts []string
	if n := len(r.Resolved); n > 0 {
		parts = append(parts, trn("recovery.resolved", n, nil))
	}
	if n := len(r.Documented); n > 0 {
		parts = append(parts, trn("recovery.documented", n, nil))
	}
	unknown := map[string]bool{}
	for _, a := range r.Unresolved {
		unknown[a.SaleID] = true
	}
	if n := len(unknown); n > 0 {
		parts = append(parts, trn("recovery.unknown", n, nil))
	}
	uncertain := map[string]bool{}
	for _, id := range r.Uncertain {
		if !unknown[id] {
			uncertain[id] = true
		}
	}
	if n := len(uncertain); n > 0 {
		parts = append(parts, trn("recovery.uncertain", n, nil))
	}
	pending := 0
	for _, id := range r.Pending {
		if !unknown[id] && !uncertain[id] {
			pending++
		}
	}
	if pending > 0 {
		parts = append(parts, trn("recovery.pending", pending, nil))
	}
	if len(r.Problems) > 0 {
		parts = append(parts, trn("recovery.problems", len(r.Problems), map[string]any{"Problem": errorText(r.Problems[0])}))
	}
	return strings.Join(parts, " ")
}

// startWatch starts the core's retry loop once, on a real display, after the start-up
// recovery: it asks the terminals about unknown payments when a sale is parked and every
// retryEvery while some stay unknown. The loop lives until Close.
func (t *Till) startWatch() {
	if t.deps.Headless || t.deps.Checkout == nil {
		return
	}
	t.watchMu.Lock()
	defer t.watchMu.Unlock()
	if t.watching || t.ctx.Err() != nil {
		return
	}
	t.watching = true
	t.watchEnd = make(chan struct{})
	ctx, end := t.ctx, t.watchEnd
	go func() {
		defer close(end)
		t.deps.Checkout.Watch(ctx, retryEvery, func(r checkout.Recovery, err error) {
			if ctx.Err() != nil {
				return // the window is gone
			}
			t.bridge.post(func() { t.applyRetry(r, err) })
		})
	}()
}

// Close stops the till's background work: the retry loop and any recovery still asking a
// terminal. The window's owner calls it when the window closes.
func (t *Till) Close() {
	t.stop()
	t.watchMu.Lock()
	end := t.watchEnd
	t.watchMu.Unlock()
	if end != nil {
		<-end
	}
	if t.clockEnd != nil {
		<-t.clockEnd
	}
	if t.focusEnd != nil {
		<-t.focusEnd
	}
}

// RetryNow runs one pass of the retry loop through the bridge, for headless tests where no
// loop runs; WaitIdle applies its result.
func (t *Till) RetryNow() {
	ctx := t.ctx
	t.bridge.run(func() func() {
		r, err := t.deps.Checkout.ResolveOpen(ctx)
		return func() { t.applyRetry(r, err) }
	})
}

// kick asks the retry loop for a pass now (a sale was just parked).
func (t *Till) kick() {
	if t.deps.Checkout != nil {
		t.deps.Checkout.Kick()
	}
}

// applyRetry shows what a retry pass settled, and refreshes the screen that shows it.
func (t *Till) applyRetry(r checkout.Recovery, err error) {
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			t.sale.setMessage(errorText(err), true)
		}
		return
	}
	if len(r.Resolved) == 0 {
		return
	}
	t.sale.setMessage(trn("exchange.resolved", len(r.Resolved), nil), false)
	switch t.current {
	case t.journal:
		t.journal.load()
	case t.payment:
		for _, a := range r.Resolved {
			if a.SaleID == t.register.Sale().ID && !t.payment.busy {
				t.payment.reload()
				break
			}
		}
	}
}

// park sets a sale aside whose payment outcome is unknown: the cashier takes the next sale
// while the till keeps asking the terminal; the journal shows it until it is settled.
func (t *Till) park(text string) {
	t.register.Clear()
	t.savedPending, t.printUnknown = false, false
	t.payment.customer, t.payment.docKind = nil, "receipt"
	t.sale.apply(nil)
	t.sale.setMessage(text, true)
	t.show(t.sale)
	t.kick()
}

// cancelWithReversal cancels the sale being paid, reversing its approved payments first. When
// a reversal fails partway, the payment screen is loaded again: it shows what is still approved.
func (t *Till) cancelWithReversal() {
	sale := t.register.Sale()
	t.payment.busy = true
	t.payment.setMessage(tr("reversing"), false)
	t.payment.refresh()
	t.bridge.run(func() func() {
		err := t.deps.Checkout.CancelSale(context.Background(), sale)
		return func() {
			t.payment.busy = false
			if err != nil {
				t.payment.setMessage(t.payment.errorText(err), true)
				t.payment.reload()
				return
			}
			t.register.Clear()
			t.savedPending, t.printUnknown = false, false
			t.sale.apply(nil)
			t.sale.setMessage(tr("sale.cancelled.reversed"), false)
			t.show(t.sale)
		}
	})
}
