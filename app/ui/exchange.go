package ui

import (
	"context"
	"errors"
	"fmt"
	"sort"
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

// promptScreen asks which terminal to use when several are enabled for this till: name and
// model, the last used first. It is asked at every payment and can be cancelled.
type promptScreen struct {
	t       *Till
	root    fyne.CanvasObject
	title   *widget.Label
	list    *fyne.Container
	devices []config.Device
	method  fiscal.PaymentMethod
	amount  money.Cents
	merch   string
}

func newPromptScreen(t *Till) *promptScreen {
	s := &promptScreen{t: t}
	s.title = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	s.title.SizeName = theme.SizeNameSubHeadingText
	s.list = container.NewGridWithColumns(1)
	back := bigButton(tr("back"), widget.MediumImportance, func() { t.show(t.payment) })
	s.root = container.NewBorder(s.title, tall(back, minTouch), nil, nil, container.NewVBox(s.list))
	return s
}

func (s *promptScreen) content() fyne.CanvasObject { return s.root }

func (s *promptScreen) open(method fiscal.PaymentMethod, amount money.Cents, devices []config.Device, merchant string) {
	s.method, s.amount, s.merch = method, amount, merchant
	s.devices = append([]config.Device(nil), devices...)
	sort.SliceStable(s.devices, func(i, j int) bool {
		return s.t.lastUsed[s.devices[i].ID].After(s.t.lastUsed[s.devices[j].ID])
	})
	s.title.SetText(tr("prompt.title", map[string]any{"Method": methodName(method), "Amount": amount.String()}))
	s.list.RemoveAll()
	for _, d := range s.devices {
		d := d
		s.list.Add(tall(bigButton(fmt.Sprintf("%s\n%s · %s", d.Name, d.Model, d.TerminalID), widget.HighImportance,
			func() { s.t.exchange.start(s.method, s.amount, d, s.merch) }), 80))
	}
	s.list.Refresh()
	s.t.show(s)
}

func (s *promptScreen) typedRune(rune) {}

func (s *promptScreen) typedKey(k fyne.KeyName) {
	if k == fyne.KeyEscape {
		s.t.show(s.t.payment)
	}
}

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
	mu       sync.Mutex // guards stop, read by the ticker
	stop     context.CancelFunc
	started  time.Time
	progress int
	ticker   *time.Ticker
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

// start sends the amount to the device's terminal in the background and follows it.
func (s *exchangeScreen) start(method fiscal.PaymentMethod, amount money.Cents, dev config.Device, merchant string) {
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
	ctx, cancel := context.WithCancel(context.Background())
	s.mu.Lock()
	s.stop = cancel
	s.mu.Unlock()
	t.payment.busy = true
	t.show(s)
	s.tick()
	sale := t.register.Sale()
	if method != fiscal.Coverflex {
		merchant = ""
	}
	t.bridge.run(func() func() {
		defer cancel()
		term, err := t.deps.Devices.OpenTerminal(ctx, dev)
		var a *checkout.Attempt
		if err == nil {
			a, err = t.deps.Checkout.PayElectronic(ctx, sale, checkout.ElectronicRequest{Method: method, Amount: amount,
				DeviceID: dev.ID, TerminalID: dev.TerminalID, MerchantID: merchant, Terminal: term,
				Progress: func(e pos.Event) { t.bridge.post(func() { s.onProgress(e) }) }})
		}
		return func() { s.finish(a, err) }
	})
}

// tick refreshes the elapsed time every second on a real display; headless runs skip it, so
// tests and screenshots stay deterministic.
func (s *exchangeScreen) tick() {
	if s.t.bridge.manual {
		return
	}
	s.ticker = time.NewTicker(time.Second)
	ticker, started := s.ticker, s.started
	go func() {
		for range ticker.C {
			secs := int(time.Since(started).Seconds())
			fyne.Do(func() { s.elapsed.SetText(fmt.Sprintf("%d s", secs)) })
		}
	}()
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
func (s *exchangeScreen) finish(a *checkout.Attempt, err error) {
	t := s.t
	if s.ticker != nil {
		s.ticker.Stop()
	}
	s.elapsed.SetText(fmt.Sprintf("%d s", int(t.deps.Now().Sub(s.started).Seconds())))
	t.payment.busy = false
	switch {
	case err == nil && a != nil && a.State == checkout.AttemptApproved:
		t.payment.setMessage(tr("exchange.approved", map[string]any{"Method": methodName(a.Method), "Amount": a.Authorized.String(),
			"PAN": a.MaskedPAN, "Auth": a.AuthCode}), false)
		t.payment.entry, t.payment.method = "", ""
		t.payment.attempts = append(t.payment.attempts, *a)
		t.payment.dueNow -= a.Authorized
		t.show(t.payment)
		if t.payment.dueNow == 0 {
			t.payment.issue(0) // all paid: issue the document now
			return
		}
		t.payment.choose(fiscal.Cash)
		t.payment.setMessage(tr("exchange.rest", map[string]any{"Amount": t.payment.dueNow.String()}), false)
	case errors.Is(err, checkout.ErrDeclined):
		text := ""
		if a != nil {
			text = a.TerminalText
		}
		t.payment.setMessage(tr("exchange.declined", map[string]any{"Text": text}), true)
		t.show(t.payment)
		t.payment.refresh()
	case errors.Is(err, checkout.ErrUnresolved) || (a != nil && a.State == checkout.AttemptUnknown):
		t.park(a)
	default:
		t.payment.setMessage(errorText(err), true)
		t.show(t.payment)
		t.payment.refresh()
	}
}

func (s *exchangeScreen) typedRune(rune)        {}
func (s *exchangeScreen) typedKey(fyne.KeyName) {}

// park sets a sale aside whose payment outcome is unknown: the cashier takes the next sale
// while the till keeps asking the terminal; the journal shows it as pending until settled.
func (t *Till) park(a *checkout.Attempt) {
	t.register.Clear()
	t.savedPending, t.printUnknown = false, false
	t.sale.apply(nil)
	t.sale.setMessage(tr("exchange.parked"), true)
	t.show(t.sale)
	t.retryParked()
}

// retryParked runs the start-up recovery again in the background: unknown attempts are asked
// to their terminals, until every one is settled. On a real display it retries every 15 s.
func (t *Till) retryParked() {
	t.bridge.run(func() func() {
		rec, err := t.recover()
		return func() {
			if err != nil {
				t.sale.setMessage(errorText(err), true)
				return
			}
			if len(rec.Unresolved) > 0 && !t.bridge.manual {
				time.AfterFunc(15*time.Second, func() { fyne.Do(t.retryParked) })
			}
			if len(rec.Resolved) > 0 {
				t.sale.setMessage(tr("exchange.resolved", map[string]any{"Count": len(rec.Resolved)}), false)
			}
		}
	})
}

// recover runs the checkout's recovery with this till's terminals.
func (t *Till) recover() (checkout.Recovery, error) {
	rj, ok := t.deps.Store.(checkout.RecoveryJournal)
	if !ok || t.deps.Devices == nil {
		return checkout.Recovery{}, nil
	}
	ctx := context.Background()
	return t.deps.Checkout.Recover(ctx, rj, func(dev string) (pos.Terminal, error) { return t.deps.Devices.Terminal(ctx, dev) })
}

// cancelWithReversal cancels the sale being paid, reversing its approved payments first.
func (t *Till) cancelWithReversal() {
	sale := t.register.Sale()
	t.payment.busy = true
	t.payment.setMessage(tr("reversing"), false)
	t.payment.refresh()
	t.bridge.run(func() func() {
		ctx := context.Background()
		err := t.deps.Checkout.CancelSale(ctx, sale, func(dev string) (pos.Terminal, error) { return t.deps.Devices.Terminal(ctx, dev) })
		return func() {
			t.payment.busy = false
			if err != nil {
				t.payment.setMessage(errorText(err), true)
				t.payment.refresh()
				return
			}
			t.register.Clear()
			t.sale.apply(nil)
			t.sale.setMessage(tr("sale.cancelled.reversed"), false)
			t.show(t.sale)
		}
	})
}
