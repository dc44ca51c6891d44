package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"till/fiscal"
	"till/money"
)

// typeAsTheDriver types runes as the desktop driver delivers them: to the focused field when
// one has the focus, to the window otherwise.
func (h *harness) typeAsTheDriver(text string) {
	for _, r := range text {
		if f := h.win.Canvas().Focused(); f != nil {
			f.TypedRune(r)
			continue
		}
		h.win.Canvas().OnTypedRune()(r)
	}
	h.till.WaitIdle()
}

func TestFunctionKeysRingTheDepartments(t *testing.T) {
	h := newHarness(t)
	depts := h.till.depts
	if len(depts) == 0 {
		t.Fatal("no departments")
	}
	for i := 0; i < min(len(depts), len(functionKeys)); i++ {
		h.typeKeys("150")
		h.key(functionKeys[i])
		l := h.lastLine()
		if l.Department.ID != depts[i].ID || l.Gross() != money.Cents(150) || h.till.register.Entry() != 0 {
			t.Fatalf("F%d: line of %q at %d, want %q at 150", i+1, l.Department.ID, l.Gross(), depts[i].ID)
		}
	}
	if len(depts) < len(functionKeys) {
		before := len(h.till.register.Sale().Lines)
		h.typeKeys("150")
		h.key(functionKeys[len(depts)])
		if len(h.till.register.Sale().Lines) != before {
			t.Fatalf("F%d rang a department that does not exist", len(depts)+1)
		}
	}
}

func TestSaleScreenEnterPaysAndEscClearsOnlyTheEntry(t *testing.T) {
	h := newHarness(t)
	h.tap("Caffè\n1,20")
	h.typeKeys("250")
	h.key(fyne.KeyEscape)
	if h.till.register.Entry() != 0 || len(h.till.register.Sale().Lines) != 1 || h.dialogOpen() {
		t.Fatalf("Esc: entry %d, %d lines", h.till.register.Entry(), len(h.till.register.Sale().Lines))
	}
	h.key(fyne.KeyReturn)
	if h.till.current != h.till.payment {
		t.Fatalf("Enter: on %T", h.till.current)
	}
	h.key(fyne.KeyEscape)
	if h.till.current != h.till.sale {
		t.Fatalf("Esc on the payment screen: on %T", h.till.current)
	}
}

func TestPaymentKeysChooseTheMethodAndTheDocument(t *testing.T) {
	h := newHarness(t)
	h.terminals(1, nil)
	h.tap("Caffè\n1,20", "PAGA")
	p := h.till.payment
	for _, tt := range []struct {
		key  fyne.KeyName
		want fiscal.PaymentMethod
	}{{fyne.KeyF2, fiscal.Card}, {fyne.KeyF3, fiscal.Coverflex}, {fyne.KeyF1, fiscal.Cash}} {
		h.key(tt.key)
		if p.method != tt.want {
			t.Fatalf("%s: method %q, want %q", tt.key, p.method, tt.want)
		}
	}
	h.key(fyne.KeyF5)
	if p.docKind != "invoice" || h.till.current != h.till.customer {
		t.Fatalf("F5: document %q, on %T", p.docKind, h.till.current)
	}
	h.key(fyne.KeyEscape)
	h.key(fyne.KeyF4)
	if p.docKind != "receipt" || h.till.current != p {
		t.Fatalf("F4: document %q, on %T", p.docKind, h.till.current)
	}
	h.key(fyne.KeyReturn) // CONFERMA: cash, exact
	if h.till.current != h.till.sale || len(h.till.register.Sale().Lines) != 0 {
		t.Fatalf("Enter on the payment screen: on %T", h.till.current)
	}
}

func TestPaymentKeysOfMethodsNotOfferedDoNothing(t *testing.T) {
	h := newHarness(t) // no terminals: neither Carta nor Coverflex
	h.tap("Caffè\n1,20", "PAGA")
	for _, k := range []fyne.KeyName{fyne.KeyF2, fyne.KeyF3} {
		h.key(k)
		if m := h.till.payment.method; m != "" {
			t.Fatalf("%s chose %q, which is not offered", k, m)
		}
	}
}

func TestDigitsChooseTheTerminal(t *testing.T) {
	h := newHarness(t)
	h.terminals(2, nil)
	h.tap("Caffè\n1,20", "PAGA")
	sale := h.till.register.Sale().ID
	h.key(fyne.KeyF2)
	h.key(fyne.KeyReturn)
	s := h.till.prompt
	if h.till.current != s || len(s.devices) != 2 {
		t.Fatalf("card with two terminals: on %T", h.till.current)
	}
	second := s.devices[1].ID
	h.typeKeys("9") // no ninth terminal
	if h.till.current != s {
		t.Fatalf("9 with two terminals: on %T", h.till.current)
	}
	h.typeKeys("2")
	a := h.attempts(sale)
	if len(a) != 1 || a[0].DeviceID != second {
		t.Fatalf("2: attempts %+v, want one on %s", a, second)
	}
}

func TestTerminalPromptEscGoesBack(t *testing.T) {
	h := newHarness(t)
	h.terminals(2, nil)
	h.tap("Caffè\n1,20", "PAGA", "Carta", "CONFERMA")
	if h.till.current != h.till.prompt {
		t.Fatalf("on %T", h.till.current)
	}
	h.key(fyne.KeyEscape)
	if h.till.current != h.till.payment {
		t.Fatalf("Esc on the prompt: on %T", h.till.current)
	}
}

func TestHelpListsTheKeysOfTheScreen(t *testing.T) {
	h := newHarness(t)
	h.typeKeys("?")
	if !h.dialogOpen() || findButton(h.top(), "Chiudi") == nil {
		t.Fatal("? opened no help")
	}
	h.typeKeys("7") // under the help, nothing reaches the keypad
	if h.till.register.Entry() != 0 {
		t.Fatalf("a digit under the help reached the keypad: %d", h.till.register.Entry())
	}
	h.key(fyne.KeyEscape)
	if h.dialogOpen() {
		t.Fatal("Esc did not close the help")
	}
	h.tap("Tasti")
	if !h.dialogOpen() {
		t.Fatal("Tasti opened no help")
	}
	h.key(fyne.KeyReturn)
	if h.dialogOpen() || h.till.current != h.till.sale {
		t.Fatalf("Enter on the help: dialog %v, on %T", h.dialogOpen(), h.till.current)
	}
	for _, s := range []screen{h.till.sale, h.till.payment, h.till.prompt, h.till.journal, h.till.exchange, h.till.customer,
		h.till.settings, h.till.journal.closing} {
		for _, k := range h.till.screenKeys(s) {
			if tr(k.action) == k.action {
				t.Errorf("%T: %q has no text", s, k.action)
			}
		}
	}
}

func TestEscLeavesEveryScreen(t *testing.T) {
	h := newHarness(t)
	h.tap("Giornale")
	h.key(fyne.KeyEscape)
	if h.till.current != h.till.sale {
		t.Fatalf("journal: on %T", h.till.current)
	}
	h.tap("Giornale", "Chiusura giornaliera")
	if h.till.current != h.till.journal.closing {
		t.Fatalf("close: on %T", h.till.current)
	}
	h.key(fyne.KeyEscape)
	if h.till.current != h.till.journal {
		t.Fatalf("Esc on the close: on %T", h.till.current)
	}
	h.key(fyne.KeyEscape)
	h.tap("Impostazioni")
	if h.till.current != h.till.settings {
		t.Fatalf("settings: on %T", h.till.current)
	}
	h.key(fyne.KeyEscape)
	if h.till.current != h.till.sale {
		t.Fatalf("Esc on the settings: on %T", h.till.current)
	}
	h.tap("Caffè\n1,20", "PAGA", "Fattura")
	if h.till.current != h.till.customer {
		t.Fatalf("invoice: on %T", h.till.current)
	}
	h.key(fyne.KeyEscape)
	if h.till.current != h.till.payment {
		t.Fatalf("Esc on the customer: on %T", h.till.current)
	}
}

func TestDigitsAfterSavingSettingsReachTheSaleKeypad(t *testing.T) {
	h := newHarness(t)
	h.tap("Impostazioni", "Modifica")
	s := h.till.settings
	h.win.Canvas().Focus(s.merchant) // the manager typed into a field
	h.typeAsTheDriver("CFX0001234")
	if s.merchant.Text != "CFX0001234" {
		t.Fatalf("the field got %q", s.merchant.Text)
	}
	h.tap("Salva")
	h.tap("Indietro")
	if h.till.current != h.till.sale {
		t.Fatalf("after saving: on %T", h.till.current)
	}
	h.typeAsTheDriver("250")
	if h.till.register.Entry() != 250 || s.merchant.Text != "CFX0001234" {
		t.Fatalf("digits after the settings: keypad %d, merchant field %q", h.till.register.Entry(), s.merchant.Text)
	}
}

func TestKeyCapFollowsItsButton(t *testing.T) {
	a := test.NewApp()
	defer a.Quit()
	b := widget.NewButton("Coverflex", nil)
	keyed := withKey(b, "F3")
	w := test.NewWindow(keyed)
	defer w.Close()
	if keyed.MinSize() != b.MinSize() {
		t.Fatalf("the key cap changed the button's size: %v, want %v", keyed.MinSize(), b.MinSize())
	}
	if findButton(keyed, "Coverflex") != b {
		t.Fatal("the button is not found by its text under its key")
	}
	kc := keyed.(*fyne.Container).Objects[1]
	b.Hide()
	if kc.Visible() {
		t.Fatal("the key of a hidden button still shows")
	}
	b.Show()
	if !kc.Visible() {
		t.Fatal("the key of a shown button is hidden")
	}
}

func TestEscOnTheTerminalCancelsOnlyWhileCancelIsOffered(t *testing.T) {
	h := newHarness(t)
	s := h.till.exchange
	var stopped int
	s.stop = func() { stopped++ } // as a running exchange leaves it
	s.cancel.Show()
	s.cancel.Enable()
	h.till.show(s)
	h.key(fyne.KeyEscape)
	if stopped != 1 || !s.cancel.Disabled() {
		t.Fatalf("Esc while Annulla is offered: stopped %d times, Annulla disabled %v", stopped, s.cancel.Disabled())
	}
	h.key(fyne.KeyEscape) // Annulla is no longer offered: Esc does nothing
	s.cancel.Enable()
	s.cancel.Hide() // the card was read: the cashier cancels on the terminal
	h.key(fyne.KeyEscape)
	if stopped != 1 {
		t.Fatalf("Esc without Annulla stopped the exchange: %d", stopped)
	}
}
