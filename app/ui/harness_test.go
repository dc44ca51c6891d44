package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"till/app/boot"
	"till/app/checkout"
	tw "till/app/ui/internal/widget"
	"till/pos/ecrsim"
	"till/storage"
)

func TestMain(m *testing.M) {
	os.Setenv("LANG", "it_IT.UTF-8")
	os.Unsetenv("LC_ALL")
	os.Unsetenv("LC_MESSAGES")
	if err := LoadTranslations(); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

type harness struct {
	t    testing.TB
	till *Till
	boot *boot.Till
	win  fyne.Window
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	return newHarnessWith(t, boot.Options{})
}

// newHarnessWith opens a till on a new database with the devices o names (the demo printer
// when o.PrinterURL is empty) in a test window.
func newHarnessWith(t testing.TB, o boot.Options) *harness {
	t.Helper()
	return newHarnessOn(t, o, nil)
}

// newHarnessOn is newHarnessWith where prepare, when set, fills the database before the till
// opens on it.
func newHarnessOn(t testing.TB, o boot.Options, prepare func(*storage.DB)) *harness {
	t.Helper()
	a := test.NewApp()
	t.Cleanup(a.Quit)
	a.Settings().SetTheme(Theme())
	o.DBPath = filepath.Join(t.TempDir(), "till.db")
	b, err := boot.OpenWith(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	if prepare != nil {
		prepare(b.DB)
	}
	w := test.NewWindow(nil)
	w.Resize(WindowSize)
	till := New(w, Deps{Store: b.DB, Devices: b, Customers: b.DB, Configs: b.DB, Seller: checkout.DemoSeller(),
		Checkout: b.Checkout, NewID: storage.NewID, Title: "test", Headless: true, DB: b.DB, Returns: returnsFor(b)})
	t.Cleanup(till.Close)
	till.WaitIdle()
	return &harness{t: t, till: till, boot: b, win: w}
}

// button finds a visible button (or catalogue tile) by its exact text: in the dialog on top
// when one is open (the screen under it cannot be tapped), on the current screen otherwise.
func (h *harness) button(text string) fyne.Tappable {
	h.t.Helper()
	found := findButton(h.top(), text)
	if found == nil {
		h.t.Fatalf("no button %q on screen", text)
	}
	return found
}

// top is what the cashier can touch: the dialog on top, or the screen.
func (h *harness) top() fyne.CanvasObject {
	if o := h.win.Canvas().Overlays().Top(); o != nil {
		return o
	}
	return h.win.Content()
}

// dialogOpen tells whether a dialog covers the screen.
func (h *harness) dialogOpen() bool { return h.win.Canvas().Overlays().Top() != nil }

func findButton(root fyne.CanvasObject, text string) fyne.Tappable {
	var found fyne.Tappable
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if found != nil || !o.Visible() {
			return
		}
		switch v := o.(type) {
		case *widget.Button:
			if v.Text == text {
				found = v
			}
		case *tw.Tile:
			if v.Text == text {
				found = v
			}
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(root)
	return found
}

// tap taps each button in turn, letting the background work each tap starts finish first,
// as it does between a person's taps.
func (h *harness) tap(texts ...string) {
	h.t.Helper()
	for _, text := range texts {
		test.Tap(h.button(text))
		h.till.WaitIdle()
	}
}

func (h *harness) key(k fyne.KeyName) {
	h.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: k})
	h.till.WaitIdle()
}

func (h *harness) journal() int {
	entries, err := h.boot.DB.Journal(context.Background(), time.Now())
	if err != nil {
		h.t.Fatal(err)
	}
	return len(entries)
}

// resolveByHand opens Risolvi a mano, fills the dialog as a manager would and confirms it.
func (h *harness) resolveByHand(outcome, stan, amount, auth, manager string) {
	h.t.Helper()
	h.tap("Risolvi a mano")
	f := h.till.payment.hand
	if f == nil || !h.dialogOpen() {
		h.t.Fatal("Risolvi a mano opened no dialog")
	}
	if outcome != "" {
		f.outcome.SetSelected(outcome)
	}
	f.stan.SetText(stan)
	f.amount.SetText(amount)
	f.auth.SetText(auth)
	f.manager.SetText(manager)
	h.tap("CONFERMA")
}

// attempts reads a sale's attempts from the database.
func (h *harness) attempts(saleID string) []checkout.Attempt {
	h.t.Helper()
	list, err := h.boot.DB.SaleAttempts(context.Background(), saleID)
	if err != nil {
		h.t.Fatal(err)
	}
	return list
}

// firstSale pays a coffee with Coverflex, so the till knows the terminal's last STAN.
func (h *harness) firstSale() {
	h.t.Helper()
	h.tap("Caffè\n1,20", "PAGA", "Coverflex", "CONFERMA")
	if h.till.current != h.till.sale || !strings.Contains(h.till.sale.message.Text, "Scontrino") {
		h.t.Fatalf("first sale: on %T %q", h.till.current, h.till.payment.message.Text)
	}
}

// parkUnknown pays digits with Coverflex on a terminal that approves, drops the link and then
// never answers a last-result question: the attempt stays unknown and the sale is parked.
// It returns the parked sale's id.
func (h *harness) parkUnknown(sim *ecrsim.Sim, digits string) string {
	h.t.Helper()
	sim.SetLastResultMode(ecrsim.LastResultNone)
	sim.SetScenario(ecrsim.DropAfterACK)
	h.ringAndPay(digits, "Bar\n22%")
	id := h.till.register.Sale().ID
	h.tap("Coverflex", "CONFERMA")
	if h.till.current != h.till.sale || len(h.till.register.Sale().Lines) != 0 {
		h.t.Fatalf("not parked: on %T %q", h.till.current, h.till.payment.message.Text)
	}
	if a := h.attempts(id); len(a) != 1 || a[0].State != checkout.AttemptUnknown {
		h.t.Fatalf("attempts %+v", a)
	}
	return id
}
