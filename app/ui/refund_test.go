package ui

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"till/app/boot"
	"till/app/checkout"
	"till/fiscal/rtsim"
	"till/storage"
)

// returnsFor is the till's refunds and voids when its printer prints return documents (the
// Epson driver does; the demo printer does not): nil otherwise, as on such a till.
func returnsFor(b *boot.Till) *checkout.Returns { return b.Returns() }

// newReturnsHarness is a till printing on the real Epson driver to the RT simulator, which
// tells its serial (the returns need it); with operators, a manager and a cashier, signed in
// as the cashier.
func newReturnsHarness(t *testing.T, operators bool) (*harness, *rtsim.Server) {
	t.Helper()
	rt, err := rtsim.New(rtsim.Config{Serial: "99MEY000042", HangMax: 10 * time.Second, AssumeStatusSerial: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rt)
	t.Cleanup(func() { rt.Close(); srv.Close() })
	var prepare func(*storage.DB)
	if operators {
		prepare = func(db *storage.DB) {
			ctx, now := context.Background(), time.Now()
			maria, err := db.AddOperator(ctx, "Maria", managerPIN, checkout.RoleManager, checkout.ImplicitOperator, now)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.AddOperator(ctx, "Luca", cashierPIN, checkout.RoleCashier, maria, now); err != nil {
				t.Fatal(err)
			}
		}
	}
	h := newHarnessOn(t, boot.Options{PrinterURL: srv.URL, PrinterTimeout: time.Second}, prepare)
	if operators {
		h.typePIN(cashierPIN)
	}
	return h, rt
}

// entries counts the RT's documents of a kind.
func entries(rt *rtsim.Server, kind string) int {
	var n int
	for _, e := range rt.Journal() {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

// openSale opens the first sale of the journal shown and taps action on its detail.
func (h *harness) openSale(action string) {
	h.t.Helper()
	test.Tap(h.till.journal.list.Rows[0])
	h.till.WaitIdle()
	h.tap(action)
}

// TestRefundFromTheJournalIssuesTheDocument: a manager chooses one of two coffees; the RT
// prints the refund and the screen says to give the cash back, with the new document.
func TestRefundFromTheJournalIssuesTheDocument(t *testing.T) {
	h, rt := newReturnsHarness(t, false)
	h.tap("2", "X", "Caffè\n1,20", "PAGA", "Contanti", "CONFERMA")
	h.tap("Giornale")
	h.openSale("Reso")
	r := h.till.journal.refund
	if h.till.current != r || len(r.qty) != 1 {
		t.Fatalf("on %T", h.till.current)
	}
	h.tap("CONFERMA RESO")
	if !strings.Contains(r.message.Text, "almeno una riga") {
		t.Fatalf("nothing chosen: %q", r.message.Text)
	}
	test.Tap(r.list.Rows[0])
	if r.qty[0] != 1000 || !strings.Contains(r.list.Rows[0].Right(), "reso 1") {
		t.Fatalf("chosen %d, row %q", r.qty[0], r.list.Rows[0].Right())
	}
	h.tap("CONFERMA RESO")
	if entries(rt, "refund") != 1 {
		t.Fatalf("RT refunds %d; %q", entries(rt, "refund"), r.message.Text)
	}
	if !strings.Contains(r.message.Text, "Emesso il documento 0001-0002") {
		t.Errorf("message %q", r.message.Text)
	}
	if got := r.list.Rows[0].Left() + " | " + r.list.Rows[1].Left() + " " + r.list.Rows[1].Right(); !strings.Contains(got, "Documento di reso 0001-0002") ||
		!strings.Contains(got, "in contanti 1,20") {
		t.Errorf("outcome %q", got)
	}
	h.key(fyne.KeyEscape)
	if h.till.current != h.till.journal {
		t.Errorf("Esc left to %T", h.till.current)
	}
}

// TestVoidOfYesterdaysReceiptIsRefused: a void is for a receipt of today only; yesterday's is
// refused, nothing printed, and the screen says to use a refund.
func TestVoidOfYesterdaysReceiptIsRefused(t *testing.T) {
	h, rt := newReturnsHarness(t, false)
	h.tap("Caffè\n1,20", "PAGA", "Contanti", "CONFERMA")
	h.toYesterday()
	h.tap("Giornale")
	test.Tap(h.till.journal.prev)
	h.till.WaitIdle()
	h.openSale("Annulla scontrino")
	r := h.till.journal.refund
	if h.till.current != r || !strings.Contains(r.message.Text, "solo per uno scontrino di oggi") {
		t.Fatalf("on %T: %q", h.till.current, r.message.Text)
	}
	if entries(rt, "void") != 0 {
		t.Fatal("the RT voided yesterday's receipt")
	}
}

// TestRefundAndVoidAskAManager: a cashier gets the manager's PIN pad before a refund and before
// a void; with the manager's PIN the void goes through.
func TestRefundAndVoidAskAManager(t *testing.T) {
	for _, action := range []string{"Reso", "Annulla scontrino"} {
		t.Run(action, func(t *testing.T) {
			h, rt := newReturnsHarness(t, true)
			h.tap("Caffè\n1,20", "PAGA", "Contanti", "CONFERMA")
			h.tap("Giornale")
			h.openSale(action)
			if action == "Reso" {
				test.Tap(h.till.journal.refund.list.Rows[0])
				h.tap("CONFERMA RESO")
			}
			kind := map[string]string{"Reso": "refund", "Annulla scontrino": "void"}[action]
			h.askManager(action, func() bool { h.till.WaitIdle(); return entries(rt, kind) == 1 })
			if m := h.till.journal.refund.message.Text; !strings.Contains(m, "Emesso il documento") {
				t.Errorf("after the manager's PIN: %q", m)
			}
		})
	}
}

// TestCoverflexRefundIsReversedOnlyWhenLast: a voucher that is the terminal's last transaction
// is reversed on it; once another payment followed, the screen says exactly what to do.
func TestCoverflexRefundIsReversedOnlyWhenLast(t *testing.T) {
	for _, tc := range []struct {
		name  string
		after bool // another voucher is paid after the one refunded
		want  string
	}{
		{"last", false, "stornato sul POS (STAN 000001)"},
		{"not last", true, "il POS non può stornarlo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, _ := newReturnsHarness(t, false)
			sim := h.terminals(1, nil)[0]
			h.firstSale()
			if tc.after {
				h.tap("Caffè\n1,20", "PAGA", "Coverflex", "CONFERMA")
			}
			h.tap("Giornale")
			test.Tap(h.till.journal.list.Rows[len(h.till.journal.entries)-1])
			h.till.WaitIdle()
			h.tap("Reso", "Tutto", "CONFERMA RESO")
			r := h.till.journal.refund
			var got []string
			for _, l := range r.out {
				got = append(got, l.text+" "+l.amount)
			}
			if !strings.Contains(strings.Join(got, "\n"), tc.want) || !strings.Contains(r.message.Text, "Emesso il documento") {
				t.Fatalf("outcome %q, %q", got, r.message.Text)
			}
			if reversed := sim.Reversals() == 1; reversed == tc.after {
				t.Errorf("reversals on the terminal: %d", sim.Reversals())
			}
		})
	}
}

// TestUncertainRefundIsSettledWithTheNumberOnThePaper: the refund's answer is lost; the screen
// asks what the paper says; put off, a new refund of the receipt asks again, and the number
// read documents the refund with its money back, with nothing printed twice.
func TestUncertainRefundIsSettledWithTheNumberOnThePaper(t *testing.T) {
	h, rt := newReturnsHarness(t, false)
	h.tap("Caffè\n1,20", "PAGA", "Contanti", "CONFERMA")
	if err := rt.SetFault("once:drop-after-issue"); err != nil {
		t.Fatal(err)
	}
	h.tap("Giornale")
	h.openSale("Reso")
	h.tap("Tutto", "CONFERMA RESO")
	r := h.till.journal.refund
	if !h.dialogOpen() || !strings.Contains(r.message.Text, "controllare la carta") {
		t.Fatalf("no question: %q", r.message.Text)
	}
	h.tap("Più tardi", "Indietro")
	h.openSale("Reso")
	h.tap("Tutto", "CONFERMA RESO")
	if !h.dialogOpen() || !strings.Contains(r.message.Text, "ancora da controllare") {
		t.Fatalf("the uncertain refund is not asked again: %q", r.message.Text)
	}
	number := findEntry(h.top())
	if number == nil {
		t.Fatal("no number field")
	}
	number.SetText("0001-0002")
	h.tap("Stampato")
	if entries(rt, "refund") != 1 || !strings.Contains(r.message.Text, "Emesso il documento 0001-0002") {
		t.Fatalf("RT refunds %d, %q", entries(rt, "refund"), r.message.Text)
	}
}

// findEntry is the first text entry under root.
func findEntry(root fyne.CanvasObject) *widget.Entry {
	var found *widget.Entry
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if found != nil {
			return
		}
		switch v := o.(type) {
		case *widget.Entry:
			found = v
		case *dialogEntry:
			found = &v.Entry
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

func TestCheckoutInstructionsShowInTheTillsLanguageOnly(t *testing.T) {
	text := "rimborsa 5,00 € in contanti / refund 5,00 € in cash"
	if got := oneLanguage(text); got != "rimborsa 5,00 € in contanti" {
		t.Fatalf("Italian till: %q", got)
	}
	if got := oneLanguage("solo italiano"); got != "solo italiano" {
		t.Fatalf("one language: %q", got)
	}
}
