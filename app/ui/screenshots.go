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

// WindowSize is the till's window: a common 10–15" touch screen.
var WindowSize = fyne.NewSize(1024, 720)

// Screenshots renders the main screens with fyne's software renderer (no display needed) into
// dir, on a sale rung up through the real keypad and checkout. It returns the files written.
func Screenshots(dir string, deps Deps) ([]string, error) {
	// Fyne's test driver complains when its calls come from the main goroutine.
	type result struct {
		files []string
		err   error
	}
	done := make(chan result)
	go func() {
		files, err := screenshots(dir, deps)
		done <- result{files, err}
	}()
	r := <-done
	return r.files, r.err
}

func screenshots(dir string, deps Deps) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	a := test.NewApp()
	defer a.Quit()
	a.Settings().SetTheme(Theme())
	w := test.NewWindow(nil)
	w.Resize(WindowSize)
	deps.Headless = true
	t := New(w, deps)
	t.WaitIdle()
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
	var files []string
	shot := func(name string) error {
		path := filepath.Join(dir, name)
		if err := writePNG(path, w.Canvas().Capture()); err != nil {
			return err
		}
		files = append(files, path)
		return nil
	}
	// A line discount as the cashier sees it under the line, then the sale's discount typed.
	if len(t.register.Sale().Lines) > 0 {
		t.sale.apply(t.register.DiscountLine(0, checkout.Discount{Percent: 1000}, false))
	}
	// Shown again now that the catalogue is in: a desktop window grows to fit what it shows, and
	// so does the test window on SetContent, so a sale screen that outgrew the window would
	// show in the picture's size.
	t.show(t.sale)
	if err := shot("sale.png"); err != nil {
		return files, err
	}
	if len(t.register.Sale().Lines) > 0 {
		t.sale.discountSale()
		t.sale.discount.setKind(false)
		for _, d := range "200" {
			t.sale.discount.digit(string(d))
		}
		if err := shot("discount.png"); err != nil {
			return files, err
		}
		t.sale.discount.close()
	}
	// The manager's PIN pad, as a cashier asking for a discount over the threshold sees it; shown
	// without checking anything (no operator is added to the database the pictures use).
	pad := t.openPIN(tr("operator.manager.title", map[string]any{"Action": tr("operator.action.discount")}),
		tr("operator.manager.hint"), true, true, func(checkout.Operator) {})
	pad.digit("1")
	pad.digit("2")
	if err := shot("pin.png"); err != nil {
		return files, err
	}
	pad.close()
	t.startPayment()
	t.WaitIdle()
	t.payment.choose(fiscal.Cash)
	t.payment.addNote(5000)
	if err := shot("payment.png"); err != nil {
		return files, err
	}
	if t.payment.avail.Offered && len(t.payment.avail.Terminals) > 0 {
		if err := coverflexShots(t, shot); err != nil {
			return files, err
		}
	}
	t.show(t.payment)
	t.payment.choose(fiscal.Cash)
	t.payment.addNote(5000)
	t.payment.doConfirm()
	t.WaitIdle()
	if t.current != t.sale {
		return files, fmt.Errorf("payment did not complete: %s", t.payment.message.Text)
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
		if err := shot("declined.png"); err != nil {
			return files, err
		}
		t.payment.choose(fiscal.Cash)
		t.payment.doConfirm()
		t.WaitIdle()
	}
	t.openJournal()
	t.WaitIdle()
	if err := shot("journal.png"); err != nil {
		return files, err
	}
	if t.deps.DB != nil {
		if err := dayShots(t, shot); err != nil {
			return files, err
		}
	}
	if t.cat != nil {
		t.cat.open()
		t.WaitIdle()
		if t.cat.length() > 1 {
			t.cat.list.Select(1)
		}
		if err := shot("catalogue.png"); err != nil {
			return files, err
		}
	}
	return files, nil
}

// dayShots renders the journal of a day in full (as a past day shows), one sale's detail, the
// choice of a refund's lines, and the day's close run on the demo devices with a cash count.
func dayShots(t *Till, shot func(string) error) error {
	j := t.journal
	j.loadPast()
	t.WaitIdle()
	if err := shot("journal-day.png"); err != nil {
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
	d := j.showSale(sale, true)
	if err := shot("journal-sale.png"); err != nil {
		return err
	}
	d.Hide()
	if sale.Document != nil {
		j.refund.choose(sale)
		j.refund.tapped(0)
		if len(sale.Lines) > 1 {
			j.refund.tapped(1)
		}
		if err := shot("refund.png"); err != nil {
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
	if err := shot("close-start.png"); err != nil {
		return err
	}
	j.closing.ack = true
	j.closing.run()
	t.WaitIdle()
	return shot("close.png")
}

// coverflexShots renders the payment screen with Coverflex chosen, the terminal prompt (with
// several terminals) and an exchange in progress as the cashier sees it.
func coverflexShots(t *Till, shot func(string) error) error {
	t.payment.choose(fiscal.Coverflex)
	for _, d := range "800" {
		t.payment.digit(string(d))
	}
	if err := shot("payment-coverflex.png"); err != nil {
		return err
	}
	devices := t.payment.avail.Terminals
	if len(devices) > 1 {
		t.prompt.open(fiscal.Coverflex, 800, devices)
		if err := shot("pos-prompt.png"); err != nil {
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
	return shot("exchange.png")
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
