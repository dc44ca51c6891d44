package ui

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"till/fiscal"
)

// WindowSize is the till's window: a common 10–15" touch screen.
var WindowSize = fyne.NewSize(1024, 720)

// Screenshots renders the main screens with fyne's software renderer (no display needed) into
// dir, on a sale rung up through the real keypad and checkout. It returns the files written.
func Screenshots(dir string, deps Deps) ([]string, error) {
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
		if r.product >= 0 && r.product < len(t.products) {
			p := t.products[r.product]
			d, _ := t.department(p.DepartmentID)
			t.sale.apply(t.register.Product(p, d))
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
	if err := shot("sale.png"); err != nil {
		return files, err
	}
	t.startPayment()
	t.payment.choose(fiscal.Cash)
	t.payment.addNote(5000)
	if err := shot("payment.png"); err != nil {
		return files, err
	}
	t.payment.doConfirm()
	t.WaitIdle()
	if t.current != t.sale {
		return files, fmt.Errorf("payment did not complete: %s", t.payment.message.Text)
	}
	t.openJournal()
	t.WaitIdle()
	if err := shot("journal.png"); err != nil {
		return files, err
	}
	return files, nil
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
