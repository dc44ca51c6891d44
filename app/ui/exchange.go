package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"till/app/checkout"
	"till/app/config"
	"till/fiscal"
	"till/money"
	"till/pos"
)

// exchangeScreen is shown while a terminal works: its own text, the elapsed time and the
// amount. Cancel is offered until the card is read; after that the cashier is told to cancel
// on the terminal, since the till must not abandon a payment the terminal may complete.
type exchangeScreen struct {
	t        *Till
	root     fyne.CanvasObject
	title    *widget.Label
	amount   *widget.Label
	text     *widget.Label
	elapsed  *widget.Label
	hint     *widget.Label
	cancel   *widget.Button
	mu       sync.Mutex // guards stop, called from the UI while the exchange runs
	stop     context.CancelFunc
	started  time.Time
	progress int
	clock    *clock
}

// exchangeOutcome is what the background exchange found: the attempt as the core left it and
// the sale's payments as recorded afterwards.
type exchangeOutcome struct {
	device   string // the terminal's name
	attempt  *checkout.Attempt
	err      error
	due      money.Cents
	attempts []checkout.Attempt
	dueErr   error
}

func newExchangeScreen(t *Till) *exchangeScreen {
	s := &exchangeScreen{t: t}
	s.title = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	s.title.SizeName = theme.SizeNameSubHeadingText
	s.amount = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	s.amount.SizeName = theme.SizeNameHeadingText
	s.text = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Monospace: true, Bold: true})
	s.text.SizeName = theme.SizeNameHeadingText
	s.elapsed = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{})
	s.hint = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{})
	s.hint.Wrapping = fyne.TextWrapWord
	s.cancel = bigButton(tr("exchange.cancel"), widget.DangerImportance, s.doCancel)
	s.root = container.NewBorder(container.NewVBox(s.title, s.amount), container.NewVBox(s.hint, tall(s.cancel, minTouch)), nil, nil,
		container.NewCenter(container.NewVBox(s.text, s.elapsed)))
	return s
}

func (s *exchangeScreen) content() fyne.CanvasObject { return s.root }

// start sends the amount to the device's terminal in the background and follows it. The
// device is taken from the configuration the payment screen showed.
func (s *exchangeScreen) start(method fiscal.PaymentMethod, amount money.Cents, dev config.Device) {
	t := s.t
	t.lastUsed[dev.ID] = t.deps.Now()
	s.title.SetText(tr("exchange.title", map[string]any{"Method": methodName(method), "Device": dev.Name, "Model": dev.Model}))
	s.amount.SetText(amount.String())
	s.text.SetText(tr("exchange.connecting"))
	s.hint.SetText(tr("exchange.hint.before"))
	s.progress, s.started = 0, t.deps.Now()
	s.elapsed.SetText("0 s")
	s.cancel.Show()
	s.cancel.Enable()
	ctx, cancel := context.WithCancel(t.ctx)
	s.mu.Lock()
	s.stop = cancel
	s.mu.Unlock()
	t.payment.busy = true
	t.show(s)
	s.tick()
	sale, doc := t.register.Sale(), t.payment.doc
	merchant := ""
	if method == fiscal.Coverflex {
		merchant = t.payment.merchant
	}
	plan := checkout.Plan{}
	if t.payment.docKind == "invoice" {
		plan.Customer = t.payment.customer
	}
	t.bridge.run(func() func() {
		defer cancel()
		o := exchangeOutcome{device: dev.Name}
		d, err := t.deps.Devices.DeviceFor(ctx, doc, dev)
		if err != nil {
			err = fmt.Errorf("%w: %w", errDeviceOpen, err)
		} else {
			o.attempt, err = t.deps.Checkout.PayElectronic(ctx, sale, checkout.ElectronicRequest{Method: method, Amount: amount,
				Device: d, MerchantID: merchant, Plan: plan,
				Progress: func(e pos.Event) { t.bridge.post(func() { s.onProgress(e) }) }})
		}
		o.err = err
		// What is due now comes from the record, even when the cashier cancelled the wait.
		o.due, o.attempts, o.dueErr = t.deps.Checkout.Due(context.WithoutCancel(ctx), sale)
		return func() { s.finish(o) }
	})
}

// tick refreshes the elapsed time every second on a real display; headless runs skip it, so
// tests and screenshots stay deterministic.
func (s *exchangeScreen) tick() {
	if s.t.deps.Headless {
		return
	}
	s.clock.stop()
	s.clock = startClock(s.started, func(secs int) {
		s.t.bridge.post(func() { s.elapsed.SetText(fmt.Sprintf("%d s", secs)) })
	})
}

func (s *exchangeScreen) onProgress(e pos.Event) {
	if e.Kind != pos.EventProgress {
		return
	}
	s.progress++
	s.text.SetText(strings.TrimSpace(e.Text))
	if s.progress >= 2 {
		// The card has been read: from here only the terminal can cancel.
		s.cancel.Hide()
		s.hint.SetText(tr("exchange.hint.after"))
	}
}

// doCancel stops waiting for the terminal. The core still records what the terminal did and
// asks it for the outcome: the cashier is told what is known, never more.
func (s *exchangeScreen) doCancel() {
	s.mu.Lock()
	stop := s.stop
	s.mu.Unlock()
	if stop != nil {
		stop()
	}
	s.cancel.Disable()
	s.text.SetText(tr("exchange.cancelling"))
}

// finish shows the outcome and goes where the cashier goes next.
func (s *exchangeScreen) finish(o exchangeOutcome) {
	t, p := s.t, s.t.payment
	s.clock.stop()
	s.clock = nil
	s.elapsed.SetText(fmt.Sprintf("%d s", int(t.deps.Now().Sub(s.started).Seconds())))
	p.busy = false
	if o.dueErr == nil {
		p.dueNow, p.attempts = o.due, o.attempts
	}
	// The attempt's recorded state decides: another pass of the core (the retry loop) may have
	// settled it first, and then the error only says so.
	a, err := o.attempt, o.err
	state := checkout.AttemptState("")
	if a != nil {
		state = a.State
	}
	switch {
	case state == checkout.AttemptApproved:
		p.entry, p.method = "", ""
		t.show(p)
		if o.dueErr != nil {
			p.setMessage(errorText(o.dueErr), true)
			p.refresh()
			return
		}
		if p.dueNow == 0 {
			p.issue(0) // all paid: issue the document now
			return
		}
		p.choose(fiscal.Cash)
		p.setMessage(tr("exchange.approved", map[string]any{"Method": methodName(a.Method), "Amount": a.Authorized.String(),
			"PAN": a.MaskedPAN, "Auth": a.AuthCode})+"\n"+tr("exchange.rest", map[string]any{"Amount": p.dueNow.String()}), false)
	case state == checkout.AttemptDeclined, errors.Is(err, checkout.ErrDeclined):
		p.setMessage(declineText(a), true)
		t.show(p)
		p.refresh()
	case state == checkout.AttemptSent, state == checkout.AttemptUnknown, errors.Is(err, checkout.ErrUnresolved):
		// The terminal may have charged: nothing proves either way. Never say nothing was charged.
		t.park(tr("exchange.parked"))
	case state == checkout.AttemptCreated, state == checkout.AttemptCancelled:
		// Recorded but never sent: the retry loop cancels it, if it has not yet.
		p.setMessage(tr("exchange.not.sent"), true)
		t.show(p)
		t.kick()
		p.reload()
	default:
		// Without an attempt the request never left: that much is proven.
		msg := p.errorText(err)
		if errors.Is(err, errDeviceOpen) {
			msg = tr("err.device.open", map[string]any{"Device": o.device})
		}
		switch {
		case a == nil && errors.Is(err, context.Canceled):
			msg = tr("exchange.cancelled.unsent")
		case a == nil:
			msg += " " + tr("exchange.nothing.sent")
		}
		p.setMessage(msg, true)
		t.show(p)
		p.refresh()
	}
}

// errDeviceOpen: the configured device could not be turned into a terminal (its link or
// settings); nothing was sent.
var errDeviceOpen = errors.New("payment device not available")

// declineText says why nothing was charged: the terminal's own words, or how the till knows
// the terminal did nothing. Only an ErrDeclined outcome gets here: the core proved it.
func declineText(a *checkout.Attempt) string {
	switch {
	case a == nil:
		return tr("err.declined")
	case a.Evidence == checkout.EvidenceNotDelivered:
		return tr("exchange.declined.not.delivered")
	case a.Evidence == checkout.EvidenceNotProcessed:
		return tr("exchange.declined.not.processed")
	case strings.TrimSpace(a.TerminalText) != "":
		return tr("exchange.declined", map[string]any{"Text": strings.TrimSpace(a.TerminalText)})
	}
	return tr("err.declined")
}

func (s *exchangeScreen) typedRune(rune) {}

// typedKey: Esc cancels as Annulla does, while it is offered (until the card is read).
func (s *exchangeScreen) typedKey(k fyne.KeyName) {
	if k == fyne.KeyEscape && s.cancel.Visible() && !s.cancel.Disabled() {
		s.doCancel()
	}
}
