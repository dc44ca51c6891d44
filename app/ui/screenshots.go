package ui

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"till/app/checkout"
	"till/fiscal"
	"till/money"
)

// WindowSize is the smallest screen the till is laid out for, a common 10–15" touch screen: the
// size of the pictures of `till screenshots` unless told, and of the tests' window. The till
// itself lays out for its real window (Till.ScreenSize).
var WindowSize = fyne.NewSize(1024, 768)

// Screenshots renders every screen and dialog of the till at size with fyne's software
// renderer (no display needed) into dir, on a sale rung up through the real keypad and
// checkout. It returns the files written.
func Screenshots(dir string, size fyne.Size, deps Deps) ([]string, error) {
	// Fyne's test driver complains when its calls come from the main goroutine.
	type result struct {
		files []string
		err   error
	}
	done := make(chan result)
	go func() {
		files, err := screenshots(dir, size, deps)
		done <- result{files, err}
	}()
	r := <-done
	return r.files, r.err
}

func screenshots(dir string, size fyne.Size, deps Deps) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	a := test.NewApp()
	defer a.Quit()
	a.Settings().SetTheme(Theme())
	w := test.NewWindow(nil)
	w.Resize(size)
	deps.Headless = true
	t := New(w, deps)
	defer t.Close()
	t.WaitIdle()
	var files []string
	err := tour(t, func(name string) error {
		settle(w.Canvas())
		path := filepath.Join(dir, name+".png")
		if err := writePNG(path, w.Canvas().Capture()); err != nil {
			return err
		}
		files = append(files, path)
		return nil
	})
	return files, err
}

// tour takes the till through every screen and every dialog a cashier or a manager meets,
// calling visit with a name for each as it shows: the screenshots' pictures and the layout
// tests' checks. Dialogs are opened by the functions their buttons call and closed with Esc,
// as a person would.
func tour(t *Till, visit func(name string) error) error {
	ring := []struct {
		qty, price string
		dept       int
		product    int
	}{{"2", "", -1, 0}, {"", "1200", 1, -1}, {"", "380", 2, -1}, {"", "200", 3, -1}}
	for _, r := range ring {
		if r.qty != "" {
			t.sale.digit(r.qty)
			t.sale.multiply()
		}
		for _, c := range r.price {
			t.sale.digit(string(c))
		}
		if x := t.sale.products.index; r.product >= 0 && x != nil && r.product < x.Len() {
			t.sale.addProduct(x.At(r.product))
		} else if r.dept >= 0 && r.dept < len(t.depts) {
			t.sale.apply(t.register.Department(t.depts[r.dept]))
		}
	}
	// A line discount as the cashier sees it under the line, then the sale's discount typed.
	if len(t.register.Sale().Lines) > 0 {
		t.sale.apply(t.register.DiscountLine(0, checkout.Discount{Percent: 1000}, false))
	}
	t.show(t.sale)
	if err := visit("sale"); err != nil {
		return err
	}
	if err := visitDialog(t, visit, "help", t.showHelp); err != nil {
		return err
	}
	if len(t.register.Sale().Lines) > 0 {
		t.sale.discountSale()
		t.sale.discount.setKind(false)
		for _, d := range "200" {
			t.sale.discount.digit(string(d))
		}
		if err := visit("discount"); err != nil {
			return err
		}
		t.sale.discount.close()
		if err := visitDialog(t, visit, "clear-sale", t.sale.confirmClear); err != nil {
			return err
		}
	}
	// The manager's PIN pad, as a cashier asking for a discount over the threshold sees it; shown
	// without checking anything (no operator is added to the database the pictures use).
	pad := t.openPIN(tr("operator.manager.title", map[string]any{"Action": tr("operator.action.discount")}),
		tr("operator.manager.hint"), true, true, func(checkout.Operator) {})
	pad.digit("1")
	pad.digit("2")
	if err := visit("pin"); err != nil {
		return err
	}
	pad.close()
	t.startPayment()
	t.WaitIdle()
	t.payment.choose(fiscal.Cash)
	t.payment.addNote(5000)
	if err := visit("payment"); err != nil {
		return err
	}
	if err := paymentDialogs(t, visit); err != nil {
		return err
	}
	if t.payment.avail.Offered && len(t.payment.avail.Terminals) > 0 {
		if err := coverflexShots(t, visit); err != nil {
			return err
		}
	}
	t.show(t.payment)
	t.payment.choose(fiscal.Cash)
	t.payment.addNote(5000)
	t.payment.doConfirm()
	t.WaitIdle()
	if t.current != t.sale {
		return fmt.Errorf("payment did not complete: %s", t.payment.message.Text)
	}
	if t.payment.avail.Offered && len(t.depts) > 0 {
		// A voucher the terminal declines (the simulator declines 1,01 €).
		for _, d := range "101" {
			t.sale.digit(string(d))
		}
		t.sale.apply(t.register.Department(t.depts[0]))
		t.startPayment()
		t.WaitIdle()
		t.payment.choose(fiscal.Coverflex)
		t.exchange.start(fiscal.Coverflex, 101, t.payment.avail.Terminals[0])
		t.WaitIdle()
		if err := visit("declined"); err != nil {
			return err
		}
		t.payment.choose(fiscal.Cash)
		t.payment.doConfirm()
		t.WaitIdle()
	}
	t.openJournal()
	t.WaitIdle()
	if err := visit("journal"); err != nil {
		return err
	}
	if t.deps.DB != nil {
		if err := dayShots(t, visit); err != nil {
			return err
		}
	}
	if t.cat != nil {
		t.cat.open()
		t.WaitIdle()
		if t.cat.length() > 1 {
			t.cat.list.Select(1)
		}
		if err := visit("catalogue"); err != nil {
			return err
		}
	}
	if t.settings != nil {
		t.settings.open()
		t.WaitIdle()
		if err := visit("settings"); err != nil {
			return err
		}
	}
	t.show(t.sale)
	return nil
}

// settle lays the canvas out again until it is as a display would draw it: fyne's desktop driver
// lays out anew, at each frame, whatever's minimum size changed (a wrapped text that needs
// more lines once it knows its width, a dialog that grows with it); the test driver does not.
func settle(c fyne.Canvas) {
	var relayout func(o fyne.CanvasObject)
	relayout = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch v := o.(type) {
		case *fyne.Container:
			if v.Layout != nil {
				v.Layout.Layout(v.Objects, v.Size())
			}
			for _, c := range v.Objects {
				relayout(c)
			}
		case fyne.Widget:
			r := test.WidgetRenderer(v)
			r.Layout(v.Size())
			for _, c := range r.Objects() {
				relayout(c)
			}
		}
	}
	for range 3 { // a wrapped text's new height moves what is under it, which may wrap anew
		relayout(c.Content())
		for _, o := range c.Overlays().List() {
			relayout(o)
		}
	}
}

// visitDialog opens a dialog with open, visits it and closes it with Esc (the dialog's own
// cancel, or its No), or by hand when it must be answered.
func visitDialog(t *Till, visit func(string) error, name string, open func()) error {
	overlays := t.win.Canvas().Overlays()
	before := len(overlays.List())
	open()
	t.WaitIdle()
	if len(overlays.List()) == before {
		return fmt.Errorf("%s: no dialog opened", name)
	}
	if err := visit(name); err != nil {
		return err
	}
	t.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	t.WaitIdle()
	for len(overlays.List()) > before {
		if m := t.topModal(); m != nil {
			m.close()
			continue
		}
		overlays.Top().Hide()
		overlays.Remove(overlays.Top())
	}
	return nil
}

// paymentDialogs shows the payment screen's dialogs and the screens they lead to: the
// customer for an invoice, a payment whose outcome is unknown with the manager's form that
// settles it, the question that cancels and reverses, the question about a receipt that may
// have printed. Nothing is recorded: the unknown payment is only shown.
func paymentDialogs(t *Till, visit func(string) error) error {
	p := t.payment
	if t.customer != nil {
		p.chooseDoc("invoice")
		if err := visit("payment-invoice"); err != nil {
			return err
		}
		p.pickCustomer()
		t.WaitIdle()
		if err := visit("customer"); err != nil {
			return err
		}
		t.customer.cancel()
		// A customer with a long company name, as the one that once widened the window past
		// the screen and cut CONFERMA off; only shown, nothing is saved.
		p.customerChosen(checkout.Customer{Company: "Trattoria Antica Osteria del Ponte Vecchio di Mezzo S.n.c. di Rossi Mario & C.",
			VATNumber: "01234567890", City: "Milano"})
		if err := visit("payment-customer"); err != nil {
			return err
		}
		p.customer = nil
		p.chooseDoc("receipt")
	}
	total := t.register.Sale().Total()
	if p.avail.Offered && len(p.avail.Terminals) > 0 {
		dev := p.avail.Terminals[0]
		saved := p.attempts
		p.method, p.entry, p.notes = "", "", 0 // as the screen opens on a sale with an unknown payment
		p.attempts = append(append([]checkout.Attempt(nil), saved...), checkout.Attempt{Method: fiscal.Coverflex,
			Requested: 800, State: checkout.AttemptUnknown, DeviceID: dev.ID, TerminalID: dev.TerminalID})
		p.setMessage(tr("payment.open.hint"), true)
		p.refresh()
		if err := visit("unknown"); err != nil {
			return err
		}
		if err := visitDialog(t, visit, "hand", p.resolveByHand); err != nil {
			return err
		}
		p.attempts = saved
		p.setMessage(tr("choose.method"), false)
		p.refresh()
	}
	if err := visitDialog(t, visit, "cancel-reverse", p.confirmCancel); err != nil {
		return err
	}
	err := visitDialog(t, visit, "print-check", func() {
		t.askPrinted(t.register.Sale().ID, total, tr("print.check.title"))
	})
	t.check = nil
	p.choose(fiscal.Cash)
	return err
}

// dayShots renders the journal of a day in full (as a past day shows), one sale's detail, the
// choice of a refund's lines, and the day's close run on the demo devices with a cash count.
func dayShots(t *Till, shot func(string) error) error {
	j := t.journal
	j.loadPast()
	t.WaitIdle()
	if err := shot("journal-day"); err != nil {
		return err
	}
	if j.past == nil || len(j.past.Sales) == 0 {
		return fmt.Errorf("journal of the day: no sales")
	}
	sale := j.past.Sales[len(j.past.Sales)-1]
	for _, s := range j.past.Sales {
		if s.Document != nil && len(s.Lines) > 1 {
			sale = s
		}
	}
	if err := visitDialog(t, shot, "journal-sale", func() { j.showSale(sale, true) }); err != nil {
		return err
	}
	if sale.Document != nil {
		j.refund.choose(sale)
		j.refund.tapped(0)
		if len(sale.Lines) > 1 {
			j.refund.tapped(1)
		}
		if err := shot("refund"); err != nil {
			return err
		}
	}
	// The drawer counted right, as the day's cash payments say.
	var cash money.Cents
	for _, m := range j.past.ByMethod {
		if m.Method == string(fiscal.Cash) {
			cash = m.AmountCents
		}
	}
	t.openClose()
	t.WaitIdle()
	for _, d := range strconv.FormatInt(int64(cash), 10) {
		j.closing.digit(string(d))
	}
	if err := shot("close-start"); err != nil {
		return err
	}
	// The question asked when the Z's printing went wrong, shown before the real close runs.
	if err := visitDialog(t, shot, "close-z", func() { j.closing.askZ(tr("close.z.check.title")) }); err != nil {
		return err
	}
	j.closing.ack = true
	j.closing.run()
	t.WaitIdle()
	return shot("close")
}

// coverflexShots renders the payment screen with Coverflex chosen, the terminal prompt (with
// several terminals) and an exchange in progress as the cashier sees it.
func coverflexShots(t *Till, shot func(string) error) error {
	t.payment.choose(fiscal.Coverflex)
	for _, d := range "800" {
		t.payment.digit(string(d))
	}
	if err := shot("payment-coverflex"); err != nil {
		return err
	}
	devices := t.payment.avail.Terminals
	if len(devices) > 1 {
		t.prompt.open(fiscal.Coverflex, 800, devices)
		if err := shot("pos-prompt"); err != nil {
			return err
		}
	}
	// The exchange as it looks while the customer taps the card, without sending anything.
	x := t.exchange
	x.title.SetText(tr("exchange.title", map[string]any{"Method": methodName(fiscal.Coverflex), "Device": devices[0].Name, "Model": devices[0].Model}))
	x.amount.SetText("8,00 €")
	x.text.SetText("INSERIRE CARTA")
	x.elapsed.SetText("4 s")
	x.hint.SetText(tr("exchange.hint.before"))
	x.cancel.Show()
	x.cancel.Enable()
	t.show(x)
	return shot("exchange")
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
