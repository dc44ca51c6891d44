package ui

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"till/app/boot"
	"till/fiscal/rtsim"
)

// newEpsonHarness is a till printing on the real Epson driver to the RT simulator, which
// starts with fault (rtsim.SetFault syntax).
func newEpsonHarness(t *testing.T, fault string) (*harness, *rtsim.Server) {
	t.Helper()
	rt, err := rtsim.New(rtsim.Config{Serial: "99MEY000042", HangMax: 10 * time.Second, Fault: fault})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rt)
	t.Cleanup(func() { rt.Close(); srv.Close() })
	return newHarnessWith(t, boot.Options{PrinterURL: srv.URL, PrinterTimeout: time.Second}), rt
}

// receipts counts the receipts the RT issued.
func receipts(rt *rtsim.Server) []rtsim.Entry {
	var out []rtsim.Entry
	for _, e := range rt.Journal() {
		if e.Kind == "receipt" {
			out = append(out, e)
		}
	}
	return out
}

// payCoffeeUncertain pays a coffee in cash on a printer whose answer is lost, and checks the
// cashier is asked what the paper says, with nothing to confirm meanwhile.
func (h *harness) payCoffeeUncertain() {
	h.t.Helper()
	h.tap("Caffè\n1,20", "PAGA", "Contanti", "CONFERMA")
	p := h.till.payment
	if h.till.current != p || !h.dialogOpen() || h.till.check == nil || !p.confirm.Disabled() ||
		!strings.Contains(p.message.Text, "non ristampare") {
		h.t.Fatalf("after a lost answer: on %T dialog %v confirm disabled %v: %q", h.till.current, h.dialogOpen(), p.confirm.Disabled(),
			p.message.Text)
	}
}

func TestReceiptWhoseAnswerIsLostIsConfirmedPrintedWithItsNumber(t *testing.T) {
	h, rt := newEpsonHarness(t, "once:drop-after-issue") // issued, then the connection drops
	h.payCoffeeUncertain()
	issued := receipts(rt)
	if len(issued) != 1 {
		t.Fatalf("the RT issued %d receipts", len(issued))
	}
	id := h.till.register.Sale().ID
	// A number not as printed is refused and the question asked again.
	h.tap("Stampato")
	h.till.check.number.SetText("12")
	h.till.check.person.SetText("Giulia")
	h.tap("CONFERMA")
	if !h.dialogOpen() || h.till.check == nil || !strings.Contains(h.till.check.problem.Text, "ZZZZ-NNNN") {
		t.Fatal("a bad number was not refused with a reason")
	}
	h.tap("Stampato")
	h.till.check.number.SetText(issued[0].ID)
	h.till.check.person.SetText("Giulia")
	h.tap("CONFERMA")
	if h.dialogOpen() || h.till.current != h.till.sale || !strings.Contains(h.till.sale.message.Text, "Scontrino "+issued[0].ID) {
		t.Fatalf("after confirming: on %T %q", h.till.current, h.till.sale.message.Text)
	}
	if n := len(receipts(rt)); n != 1 {
		t.Fatalf("the RT issued %d receipts", n)
	}
	stored, err := h.boot.DB.Sale(context.Background(), id)
	if err != nil || stored.State != "documented" || stored.Document == nil || stored.Document.ID() != issued[0].ID {
		t.Fatalf("stored %+v %v", stored, err)
	}
}

func TestReceiptNeverIssuedIsPrintedOnceFromTheJournalWhenAPersonSaysSo(t *testing.T) {
	h, rt := newEpsonHarness(t, "once:no-answer-receipt") // held unanswered, nothing issued
	h.payCoffeeUncertain()
	h.tap("Più tardi", "Indietro")
	h.till.sale.clearSale()
	h.till.WaitIdle()
	if !strings.Contains(h.till.sale.message.Text, "STAMPA INCERTA") || len(receipts(rt)) != 0 {
		t.Fatalf("cleared: %q, %d receipts", h.till.sale.message.Text, len(receipts(rt)))
	}
	h.tap("Giornale")
	if row := h.till.journal.list.Rows[0].Left(); !strings.Contains(row, "STAMPA INCERTA") || strings.Contains(row, "IN SOSPESO") {
		t.Fatalf("journal row %q", row)
	}
	test.Tap(h.till.journal.list.Rows[0])
	h.till.WaitIdle()
	if !h.dialogOpen() || h.till.check == nil {
		t.Fatal("tapping the uncertain sale does not ask about its receipt")
	}
	h.tap("Non stampato: stampa ora")
	h.tap("Stampa ora") // nobody said who checked
	if !h.dialogOpen() || !strings.Contains(h.till.check.problem.Text, "nome") || len(receipts(rt)) != 0 {
		t.Fatal("an answer without a name was accepted")
	}
	h.tap("Non stampato: stampa ora")
	h.till.check.person.SetText("Giulia")
	h.tap("Stampa ora")
	if h.dialogOpen() || len(receipts(rt)) != 1 || !strings.Contains(h.till.journal.message.Text, "Scontrino 0001-0001") {
		t.Fatalf("after the answer: %d receipts, %q", len(receipts(rt)), h.till.journal.message.Text)
	}
	if row := h.till.journal.list.Rows[0].Left(); !strings.Contains(row, "0001-0001") {
		t.Fatalf("journal row %q", row)
	}
	var actor string
	h.boot.DB.SQL().QueryRow(`SELECT actor FROM audit_log WHERE action = 'confirm_not_printed'`).Scan(&actor)
	if actor != "Giulia" {
		t.Fatalf("audit actor %q", actor)
	}
}
