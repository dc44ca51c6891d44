package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"till/app/checkout"
	tw "till/app/ui/internal/widget"
	"till/storage"
)

// declineAndClear rings 1,01 € (the simulator declines it), pays it with Coverflex, goes back
// and clears the sale as the cashier does; it returns the cleared sale's id.
func (h *harness) declineAndClear() string {
	h.t.Helper()
	h.terminals(1, nil)
	h.ringAndPay("101", "Bar\n22%")
	id := h.till.register.Sale().ID
	h.tap("Coverflex", "CONFERMA")
	if a := h.attempts(id); len(a) != 1 || a[0].State != checkout.AttemptDeclined {
		h.t.Fatalf("attempts %+v", a)
	}
	h.tap("Indietro")
	h.till.sale.clearSale() // what "Annulla vendita" confirmed does
	h.till.WaitIdle()
	return id
}

// A declined sale the cashier cleared stayed IN SOSPESO for ever and looked like an unknown
// payment: it must be recorded cancelled, keeping its declined attempt.
func TestDeclinedSaleClearedIsRecordedCancelled(t *testing.T) {
	h := newHarness(t)
	id := h.declineAndClear()
	if n, err := h.boot.DB.PendingCount(context.Background()); err != nil || n != 0 {
		t.Fatalf("pending sales after the clear: %d %v", n, err)
	}
	entries, err := h.boot.DB.Journal(context.Background(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].SaleID != id || !entries[0].Cancelled || entries[0].PaymentUnknown {
		t.Fatalf("journal %+v", entries)
	}
	if a := h.attempts(id); len(a) != 1 || a[0].State != checkout.AttemptDeclined {
		t.Fatalf("the declined attempt is not kept as evidence: %+v", a)
	}
	if h.till.sale.message.Importance == widget.DangerImportance {
		t.Fatalf("clearing the sale showed an error: %q", h.till.sale.message.Text)
	}
}

// The journal names each state apart: a cancelled sale whose payment was declined, an
// unknown payment, an uncertain receipt, a sale merely waiting for its document.
func TestJournalLabelsEachStateApart(t *testing.T) {
	h := newHarness(t)
	h.declineAndClear()
	h.till.openJournal()
	h.till.WaitIdle()
	declined := rowText(h.till.journal.list.Rows[0])
	if !strings.Contains(declined, "RIFIUTATO") || strings.Contains(declined, "DA VERIFICARE") || strings.Contains(declined, "IN SOSPESO") {
		t.Fatalf("declined and cleared row %q", declined)
	}
	labels := map[string]checkout.JournalEntry{
		"PAGAMENTO DA VERIFICARE": {PaymentUnknown: true, Declined: true},
		"STAMPA INCERTA":          {PrintUncertain: true},
		"IN SOSPESO":              {},
		"RIFIUTATO":               {Declined: true},
		"ANNULLATA":               {Cancelled: true},
	}
	seen := map[string]bool{}
	for want, e := range labels {
		got := journalState(e)
		if !strings.Contains(got, want) {
			t.Errorf("%+v reads %q, want %q", e, got, want)
		}
		if seen[got] {
			t.Errorf("%q names two states", got)
		}
		seen[got] = true
	}
}

func rowText(r *tw.Row) string { return r.Left() }

// A day typed wrong leaves the field on the day shown, with a word on how to type it; a day
// typed with one digit is understood.
func TestJournalDayTypedWrongResetsToTheDayShown(t *testing.T) {
	h := newHarness(t)
	h.till.openJournal()
	h.till.WaitIdle()
	j := h.till.journal
	shown := j.day.Format(dayLayout)
	for _, bad := range []string{"abc", "32/01/2026", "12/13/2026", "", time.Now().AddDate(0, 0, 2).Format(dayLayout)} {
		j.message.SetText("")
		j.dayField.SetText(bad)
		j.dayField.OnSubmitted(j.dayField.Text)
		h.till.WaitIdle()
		if j.dayField.Text != shown || !strings.Contains(j.message.Text, "Giorno non valido") || j.day.Format(dayLayout) != shown {
			t.Errorf("%q: field %q day %s message %q, want the field back on %s", bad, j.dayField.Text, j.day.Format(dayLayout), j.message.Text, shown)
		}
	}
	past := time.Now().AddDate(0, 0, -3)
	j.dayField.SetText(fmt.Sprintf("%d/%d/%d", past.Day(), int(past.Month()), past.Year()))
	j.dayField.OnSubmitted(j.dayField.Text)
	h.till.WaitIdle()
	if j.dayField.Text != past.Format(dayLayout) || j.past == nil {
		t.Errorf("a day with one digit: field %q, past loaded %v", j.dayField.Text, j.past != nil)
	}
}

// Without the day's database (today's journal only) a documented row offered a copy that the
// printer could not print: only the last receipt asks, the others say why not.
func TestJournalOffersACopyOnlyWhereItPrints(t *testing.T) {
	h := newHarness(t)
	for range 2 {
		h.tap("Caffè\n1,20", "PAGA", "Contanti", "CONFERMA")
	}
	w := test.NewWindow(nil)
	defer w.Close()
	till := New(w, Deps{Store: h.boot.DB, Checkout: h.boot.Checkout, Seller: checkout.DemoSeller(), NewID: storage.NewID,
		Title: "test", Headless: true})
	defer till.Close()
	till.WaitIdle()
	till.openJournal()
	till.WaitIdle()
	j := till.journal
	rowOf := func(number string) int {
		for i, r := range j.list.Rows {
			if strings.Contains(r.Left(), number) {
				return i
			}
		}
		t.Fatalf("no row for %s", number)
		return -1
	}
	test.Tap(j.list.Rows[rowOf("0001-0001")])
	till.WaitIdle()
	if w.Canvas().Overlays().Top() != nil || !strings.Contains(j.message.Text, "ultimo documento") {
		t.Fatalf("an earlier receipt: dialog %v, message %q", w.Canvas().Overlays().Top() != nil, j.message.Text)
	}
	test.Tap(j.list.Rows[rowOf("0001-0002")])
	till.WaitIdle()
	if w.Canvas().Overlays().Top() == nil {
		t.Fatal("the last receipt offers no copy")
	}
}
