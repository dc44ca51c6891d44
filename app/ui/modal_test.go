package ui

import (
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"till/app/boot"
	"till/fiscal"
)

// payPartOnCoverflex rings 14,70 € and pays 5,00 € of it with Coverflex, so the payment screen
// offers Annulla e storna; then Contanti is chosen, so CONFERMA would pay the rest and print.
func (h *harness) payPartOnCoverflex() {
	h.t.Helper()
	h.terminals(1, nil)
	h.ringAndPay("1470", "Cucina\n10%")
	h.tap("Coverflex", "5", "0", "0", "CONFERMA", "Contanti")
	p := h.till.payment
	if p.dueNow != 970 || !p.cancel.Visible() || p.method != fiscal.Cash {
		h.t.Fatalf("part paid: due %d, cancel shown %v, method %q", p.dueNow, p.cancel.Visible(), p.method)
	}
}

func TestEnterUnderCancelAndReverseIssuesNoReceipt(t *testing.T) {
	h, rt := newEpsonHarness(t, "")
	h.payPartOnCoverflex()
	sale := h.till.register.Sale().ID
	h.tap("Annulla e storna")
	if !h.dialogOpen() || h.till.topModal() == nil {
		t.Fatal("Annulla e storna asked nothing")
	}
	h.key(fyne.KeyReturn)
	if n := len(receipts(rt)); n != 0 {
		t.Fatalf("Enter on the question issued %d receipts", n)
	}
	if h.dialogOpen() || h.till.current != h.till.payment || h.till.register.Sale().ID != sale || h.till.payment.dueNow != 970 {
		t.Fatalf("Enter: dialog %v, on %T, due %d", h.dialogOpen(), h.till.current, h.till.payment.dueNow)
	}
	if a := h.attempts(sale); len(a) != 1 || a[0].State.Open() == false {
		t.Fatalf("Enter answered Yes: attempts %+v", a)
	}
	// Esc answers No as well; only a tap on Sì reverses.
	h.tap("Annulla e storna")
	h.key(fyne.KeyEscape)
	if h.dialogOpen() || h.till.current != h.till.payment || len(receipts(rt)) != 0 {
		t.Fatalf("Esc: dialog %v, on %T", h.dialogOpen(), h.till.current)
	}
	h.tap("Annulla e storna", "Sì")
	if h.till.current != h.till.sale || len(h.till.register.Sale().Lines) != 0 || len(receipts(rt)) != 0 {
		t.Fatalf("Sì did not cancel: on %T, %d lines", h.till.current, len(h.till.register.Sale().Lines))
	}
}

func TestEnterUnderCancelSaleDoesNotPay(t *testing.T) {
	h := newHarnessOn(t, boot.Options{}, scanProducts(t))
	h.tap("Caffè\n1,20", "Annulla vendita")
	if !h.dialogOpen() {
		t.Fatal("Annulla vendita asked nothing")
	}
	h.key(fyne.KeyReturn)
	if h.till.current != h.till.sale || h.dialogOpen() || len(h.till.register.Sale().Lines) != 1 {
		t.Fatalf("Enter on the question: on %T, dialog %v, %d lines", h.till.current, h.dialogOpen(), len(h.till.register.Sale().Lines))
	}
	// A barcode scanned while the question is open types its digits and Enter: the sale stays.
	h.tap("Annulla vendita")
	h.typeKeys(biscuitsEAN13 + "\n")
	if h.till.current != h.till.sale || len(h.till.register.Sale().Lines) != 1 || h.till.register.Entry() != 0 {
		t.Fatalf("a scan on the question: on %T, %d lines, entry %d", h.till.current, len(h.till.register.Sale().Lines),
			h.till.register.Entry())
	}
	h.tap("Annulla vendita", "Sì")
	if len(h.till.register.Sale().Lines) != 0 || h.dialogOpen() {
		t.Fatalf("Sì: %d lines", len(h.till.register.Sale().Lines))
	}
}

func TestEscClosesEveryKindOfDialog(t *testing.T) {
	tests := []struct {
		name string
		open func(h *harness)
	}{
		{"question", func(h *harness) { h.tap("Caffè\n1,20", "Annulla vendita") }},
		{"discount keypad", func(h *harness) { h.tap("Caffè\n1,20", "Sconto riga") }},
		{"help", func(h *harness) { h.typeKeys("?") }},
		{"sale of the journal", func(h *harness) {
			h.tap("Caffè\n1,20", "PAGA", "Contanti", "CONFERMA", "Giornale")
			test.Tap(h.till.journal.list.Rows[0])
			h.till.WaitIdle()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			tt.open(h)
			if !h.dialogOpen() || h.till.topModal() == nil {
				t.Fatal("no dialog open")
			}
			under := h.till.current
			h.key(fyne.KeyEscape)
			if h.dialogOpen() || len(h.till.modals) != 0 || h.till.current != under {
				t.Fatalf("after Esc: dialog %v, %d modals, on %T", h.dialogOpen(), len(h.till.modals), h.till.current)
			}
		})
	}
}

func TestEscInAFormFieldGoesBackAndEnterConfirms(t *testing.T) {
	h, _ := newEpsonHarness(t, "once:drop-after-issue")
	h.payCoffeeUncertain()
	h.tap("Stampato")
	c := h.till.check
	if len(h.till.modals) != 1 || h.win.Canvas().Focused() != c.number {
		t.Fatalf("the form: %d dialogs, focus on %T", len(h.till.modals), h.win.Canvas().Focused())
	}
	// Keys reach a focused field before the window: the field hands Esc to the form.
	c.number.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if len(h.till.modals) != 1 || h.till.topModal() != c.ask {
		t.Fatal("Esc in the number did not go back to the question")
	}
	h.key(fyne.KeyReturn) // Enter on the question is Stampato: the form again
	c.number.SetText("12")
	c.person.SetText("Giulia")
	c.person.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.till.WaitIdle()
	if h.till.check == nil || !strings.Contains(h.till.check.problem.Text, "ZZZZ-NNNN") {
		t.Fatalf("Enter in the field did not submit the form: check %v", h.till.check != nil)
	}
}

func TestDialogButtonsSpeakTheTillsLanguage(t *testing.T) {
	h := newHarness(t)
	h.tap("Caffè\n1,20", "Annulla vendita")
	for _, text := range []string{"Sì", "No"} {
		if findButton(h.top(), text) == nil {
			t.Errorf("no %q on the question", text)
		}
	}
	if findButton(h.top(), "Yes") != nil {
		t.Error("an English Yes on an Italian till")
	}
	h.key(fyne.KeyEscape)

	t.Cleanup(func() {
		os.Setenv("LANG", "it_IT.UTF-8")
		LoadTranslations()
	})
	os.Setenv("LANG", "en_GB.UTF-8")
	if err := LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	en := newHarness(t)
	en.tap("Caffè\n1,20", "Cancel sale")
	for _, text := range []string{"Yes", "No"} {
		if findButton(en.top(), text) == nil {
			t.Errorf("no %q on the English question", text)
		}
	}
	if findButton(en.top(), "Sì") != nil {
		t.Error("an Italian Sì on an English till")
	}
}

func TestTheDiscountQuestionOverTheDiscountTakesTheKeys(t *testing.T) {
	h := newHarness(t)
	h.tap("Cappuccino\n1,60", "Sconto riga")
	h.typeKeys("60\n")
	if len(h.till.modals) != 2 || h.till.sale.discount.confirming == nil {
		t.Fatalf("60%%: %d dialogs", len(h.till.modals))
	}
	h.typeKeys("5") // the question has no keypad: the digit goes nowhere
	if h.till.sale.discount.entry != "60" || h.till.register.Entry() != 0 {
		t.Fatalf("a digit under the question: discount %q, sale %d", h.till.sale.discount.entry, h.till.register.Entry())
	}
	h.key(fyne.KeyEscape) // No: back to the discount keypad
	if len(h.till.modals) != 1 || h.till.topModal() != h.till.sale.discount.dlg {
		t.Fatalf("Esc on the question: %d dialogs", len(h.till.modals))
	}
	h.key(fyne.KeyEscape)
	if h.dialogOpen() || !h.till.register.Sale().Lines[0].Discount.IsZero() {
		t.Fatalf("Esc on the keypad: dialog %v, %+v", h.dialogOpen(), h.till.register.Sale().Lines[0].Discount)
	}
}

func TestEnterAnswersYesWhenTheQuestionIsNotDestructive(t *testing.T) {
	h := newHarness(t)
	var confirmed bool
	h.till.confirm("Copia", "Stampare una copia?", "modal.yes", func() { confirmed = true })
	h.key(fyne.KeyReturn)
	if !confirmed || h.dialogOpen() {
		t.Fatalf("Enter on a question that is not destructive: confirmed %v, dialog %v", confirmed, h.dialogOpen())
	}
}
