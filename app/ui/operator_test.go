package ui

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"till/app/boot"
	"till/app/checkout"
	"till/assets"
	"till/fiscal/memprinter"
	"till/storage"
)

// The operators of the tests: Maria is the manager, Luca a cashier.
const (
	managerPIN = "1111"
	cashierPIN = "2222"
)

// newOperatorHarness opens a till with a manager (1, Maria) and a cashier (2, Luca); the
// window starts on the sign-in PIN pad.
func newOperatorHarness(t *testing.T) *harness {
	t.Helper()
	return newHarnessOn(t, boot.Options{}, func(db *storage.DB) {
		ctx, now := context.Background(), time.Now()
		maria, err := db.AddOperator(ctx, "Maria", managerPIN, checkout.RoleManager, checkout.ImplicitOperator, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddOperator(ctx, "Luca", cashierPIN, checkout.RoleCashier, maria, now); err != nil {
			t.Fatal(err)
		}
	})
}

// typePIN types pin on the open PIN pad and presses OK.
func (h *harness) typePIN(pin string) {
	h.t.Helper()
	if h.till.pin == nil {
		h.t.Fatal("no PIN pad open")
	}
	for _, d := range pin {
		h.tap(string(d))
	}
	h.tap("OK")
}

// signedInAs opens a till with operators and signs in with pin.
func signedInAs(t *testing.T, pin string) *harness {
	t.Helper()
	h := newOperatorHarness(t)
	h.typePIN(pin)
	if h.till.pin != nil || h.dialogOpen() {
		t.Fatalf("sign-in with %s: pad still open: %q", pin, h.till.pin.message.Text)
	}
	return h
}

// managerChecks counts the audit log's checks of a manager's PIN by actor with outcome detail.
func (h *harness) managerChecks(actor, detail string) int {
	h.t.Helper()
	var n int
	err := h.boot.DB.SQL().QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'pin_check' AND subject = 'manager'
		AND actor = ? AND detail = ?`, actor, detail).Scan(&n)
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

// askManager checks the manager's PIN pad a cashier gets: titled with the action, a cashier's
// PIN refused with its reason and nothing done (done tells), a manager's PIN accepted.
func (h *harness) askManager(action string, done func() bool) {
	h.t.Helper()
	p := h.till.pin
	if p == nil || !p.manager || !h.dialogOpen() {
		h.t.Fatalf("%s: no manager's PIN pad", action)
	}
	if !strings.Contains(p.title, "serve un responsabile") {
		h.t.Fatalf("%s: PIN pad titled %q", action, p.title)
	}
	h.typePIN(cashierPIN)
	if h.till.pin != p || !strings.Contains(p.message.Text, "non è di un responsabile") || done() {
		h.t.Fatalf("%s with a cashier's PIN: pad %v, %q, done %v", action, h.till.pin != nil, p.message.Text, done())
	}
	if n := h.managerChecks("operator 2", storage.ErrNotManager.Error()); n != 1 {
		h.t.Fatalf("%s: %d refused checks logged", action, n)
	}
	h.typePIN(managerPIN)
	if h.till.pin != nil || !done() {
		h.t.Fatalf("%s with a manager's PIN: pad %v, %q, done %v", action, h.till.pin != nil, p.message.Text, done())
	}
	if n := h.managerChecks("operator 1", "ok"); n != 1 {
		h.t.Fatalf("%s: %d manager checks logged", action, n)
	}
}

func TestATillWithoutOperatorsAsksNoPIN(t *testing.T) {
	h := newHarness(t)
	s := h.till.sale
	if h.dialogOpen() || h.till.pin != nil || s.operator.Visible() || s.switchOp.Visible() {
		t.Fatal("a till without operators asks who works it")
	}
	h.tap("Impostazioni")
	if h.till.current != h.till.settings {
		t.Fatalf("Impostazioni: on %T", h.till.current)
	}
}

func TestTheWindowStartsOnTheSignInAndShowsTheOperator(t *testing.T) {
	h := newOperatorHarness(t)
	p := h.till.pin
	if p == nil || p.manager || !h.dialogOpen() || findButton(h.top(), "Annulla") != nil {
		t.Fatal("the till with operators does not start on the sign-in PIN pad")
	}
	h.key(fyne.KeyEscape) // nothing skips the sign-in
	h.typePIN("99")
	if !strings.Contains(p.message.Text, "da 4 a 8 cifre") || p.entry != "" {
		t.Fatalf("short PIN: %q, entry %q", p.message.Text, p.entry)
	}
	h.typePIN("9999")
	if h.till.pin != p || !strings.Contains(p.message.Text, "PIN errato") {
		t.Fatalf("wrong PIN: %q", p.message.Text)
	}
	if p.dots.Text != "–" {
		t.Fatalf("the PIN stays on screen: %q", p.dots.Text)
	}
	h.typePIN(cashierPIN)
	s := h.till.sale
	if h.till.pin != nil || !s.operator.Visible() || s.operator.Text != "Luca (2)" || !s.switchOp.Visible() {
		t.Fatalf("after sign-in: pad %v, header %q", h.till.pin != nil, s.operator.Text)
	}
}

func TestOperatorSwitchKeepsTheSaleAndTheReceiptCarriesWhoPays(t *testing.T) {
	h := signedInAs(t, managerPIN)
	h.tap("Caffè\n1,20")
	h.tap("Cambia operatore")
	if h.till.pin == nil || h.till.pin.manager {
		t.Fatal("Cambia operatore opened no PIN pad")
	}
	h.tap("Annulla")
	if h.till.pin != nil || h.till.operator.Number != 1 {
		t.Fatalf("Annulla changed the operator to %+v", h.till.operator)
	}
	h.tap("Cambia operatore")
	h.typePIN(cashierPIN)
	if h.till.sale.operator.Text != "Luca (2)" || len(h.till.register.Sale().Lines) != 1 {
		t.Fatalf("after the switch: header %q, lines %d", h.till.sale.operator.Text, len(h.till.register.Sale().Lines))
	}
	id := h.till.register.Sale().ID
	h.tap("PAGA", "Contanti", "CONFERMA")
	if !strings.Contains(h.till.sale.message.Text, "Scontrino") {
		t.Fatalf("sale: %q", h.till.sale.message.Text)
	}
	sale, err := h.boot.DB.LoadSale(context.Background(), id)
	if err != nil || sale.OperatorNumber() != 2 {
		t.Fatalf("the sale is recorded as operator %d: %v", sale.OperatorNumber(), err)
	}
	docs := h.boot.Printer.(*memprinter.Printer).Documents()
	if len(docs) != 1 || docs[0].Receipt.Operator != 2 {
		t.Fatalf("printed %+v", docs)
	}
}

func TestAManagerIsNotAskedForAPIN(t *testing.T) {
	h := signedInAs(t, managerPIN)
	h.tap("Impostazioni")
	if h.dialogOpen() || h.till.current != h.till.settings {
		t.Fatalf("a manager asked for a PIN: on %T", h.till.current)
	}
}

func TestCashierOpensSettingsWithAManagersPIN(t *testing.T) {
	h := signedInAs(t, cashierPIN)
	h.tap("Impostazioni")
	if !strings.Contains(h.till.pin.title, "Impostazioni") {
		t.Fatal("the PIN pad does not name the action")
	}
	h.askManager("Impostazioni", func() bool { return h.till.current == h.till.settings })
	if h.till.operator.Number != 2 {
		t.Fatalf("the manager's PIN changed the operator to %+v", h.till.operator)
	}
}

func TestCashierCancelsTheManagersPINPad(t *testing.T) {
	h := signedInAs(t, cashierPIN)
	h.tap("Impostazioni", "Annulla")
	if h.dialogOpen() || h.till.current != h.till.sale {
		t.Fatalf("Annulla: on %T", h.till.current)
	}
}

func TestCashierDiscountOverTheThresholdNeedsAManagersPIN(t *testing.T) {
	h := signedInAs(t, cashierPIN)
	h.tap("Caffè\n1,20", "Sconto riga", "6", "0", "Applica")
	if h.till.register.Sale().Lines[0].Discount != (checkout.Discount{}) {
		t.Fatal("a discount over the threshold applied without a manager")
	}
	h.askManager("sconto", func() bool {
		return h.till.register.Sale().Lines[0].Discount == checkout.Discount{Percent: 6000}
	})
	if h.dialogOpen() {
		t.Fatal("the discount dialog stays open after the manager's PIN")
	}
}

func TestCashierDiscountUnderTheThresholdNeedsNoPIN(t *testing.T) {
	h := signedInAs(t, cashierPIN)
	h.tap("Caffè\n1,20", "Sconto riga", "1", "0", "Applica")
	if h.dialogOpen() || h.till.register.Sale().Lines[0].Discount != (checkout.Discount{Percent: 1000}) {
		t.Fatal("a 10% discount asked for a manager")
	}
}

func TestFiveWrongPINsLockThePad(t *testing.T) {
	h := newOperatorHarness(t)
	for range 5 {
		h.typePIN("9999")
	}
	h.typePIN(managerPIN)
	if h.till.pin == nil || !strings.Contains(h.till.pin.message.Text, "Troppi PIN errati") {
		t.Fatalf("after five wrong PINs: %q", h.till.pin.message.Text)
	}
}

func TestCashierResolvesByHandWithAManagersPIN(t *testing.T) {
	h := signedInAs(t, cashierPIN)
	sim := h.terminals(1, nil)[0]
	h.firstSale()
	h.parkUnknown(sim, "400")
	h.tap("Giornale")
	test.Tap(h.till.journal.list.Rows[0])
	h.till.WaitIdle()
	p := h.till.payment
	h.tap("Risolvi a mano")
	if p.hand != nil {
		t.Fatal("a cashier opened Risolvi a mano")
	}
	h.askManager("Risolvi a mano", func() bool { return p.hand != nil })
	if p.hand.manager.Text != "Maria (1)" {
		t.Fatalf("the form names the manager %q", p.hand.manager.Text)
	}
}

func TestCashierCancelsWithReversalWithAManagersPIN(t *testing.T) {
	h := signedInAs(t, cashierPIN)
	sim := h.terminals(1, nil)[0]
	h.ringAndPay("1470", "Cucina\n10%")
	h.tap("Coverflex", "5", "0", "0", "CONFERMA")
	p := h.till.payment
	if p.dueNow != 970 || !p.cancel.Visible() {
		t.Fatalf("one voucher: due %d", p.dueNow)
	}
	h.tap("Annulla e storna")
	h.askManager("Annulla e storna", func() bool { return h.dialogOpen() && h.till.pin == nil })
	h.tap("Sì")
	if sim.Reversals() != 1 || h.till.current != h.till.sale {
		t.Fatalf("after the manager's cancel: %d reversals, on %T", sim.Reversals(), h.till.current)
	}
}

func TestTheKeyboardTypesIntoThePINPad(t *testing.T) {
	h := newOperatorHarness(t)
	for _, r := range cashierPIN {
		h.win.Canvas().OnTypedRune()(r)
	}
	if h.till.pin.dots.Text != "●●●●" || h.till.register.Entry() != 0 {
		t.Fatalf("pad %q, sale keypad %d", h.till.pin.dots.Text, h.till.register.Entry())
	}
	h.key(fyne.KeyReturn)
	if h.till.pin != nil || h.till.operator.Number != 2 {
		t.Fatalf("Invio did not sign in: %+v", h.till.operator)
	}
}

func TestOperatorTextsInBothLanguages(t *testing.T) {
	keys := map[string][]string{}
	for _, file := range []string{"operators.it.json", "operators.en.json"} {
		body, err := assets.Translations.ReadFile("translations/" + file)
		if err != nil {
			t.Fatal(err)
		}
		var texts map[string]string
		if err := json.Unmarshal(body, &texts); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for k, v := range texts {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: %s is empty", file, k)
			}
			keys[k] = append(keys[k], file)
		}
	}
	for k, files := range keys {
		if len(files) != 2 {
			t.Errorf("%s only in %v", k, files)
		}
	}
}
