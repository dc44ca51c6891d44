package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

// toYesterday moves the sales made so far, with their documents, to yesterday.
func (h *harness) toYesterday() time.Time {
	h.t.Helper()
	y := time.Now().AddDate(0, 0, -1)
	day, at := y.Format("2006-01-02"), y.UTC().Format(time.RFC3339Nano)
	for _, q := range []string{`UPDATE sales SET business_day = ?1, created_at = ?2`, `UPDATE documents SET issued_at = ?2`} {
		if _, err := h.boot.DB.SQL().Exec(q, day, at); err != nil {
			h.t.Fatal(err)
		}
	}
	return y
}

// TestJournalOfAPastDay: the arrows show yesterday's sales with document, operator, payments
// (terminal, STAN, authorisation code) and the day's totals per method, department and VAT
// rate; today shows only today's.
func TestJournalOfAPastDay(t *testing.T) {
	h := newHarness(t)
	h.terminals(1, nil)
	h.firstSale()
	h.toYesterday()
	h.tap("1", "2", "0", "0", "Cucina\n10%", "PAGA", "Contanti", "CONFERMA")
	h.tap("Giornale")
	j := h.till.journal
	if len(j.entries) != 1 || !strings.Contains(j.list.Rows[0].Left(), "Contanti") {
		t.Fatalf("today: %d entries, %q", len(j.entries), j.list.Rows[0].Left())
	}
	if !j.next.Disabled() {
		t.Error("the journal can go past today")
	}
	test.Tap(j.prev)
	h.till.WaitIdle()
	yesterday := time.Now().AddDate(0, 0, -1).Format(dayLayout)
	if j.past == nil || len(j.past.Sales) != 1 || j.dayField.Text != yesterday || !strings.Contains(j.title.Text, yesterday) {
		t.Fatalf("yesterday: %+v, field %q, title %q", j.past, j.dayField.Text, j.title.Text)
	}
	row := j.list.Rows[0].Left()
	for _, want := range []string{"0001-0001", "op. 1", "Coverflex"} {
		if !strings.Contains(row, want) {
			t.Errorf("row %q lacks %q", row, want)
		}
	}
	for _, want := range []string{"Vendite: 1", "1,20", "Per metodo di pagamento", "Coverflex", "Per reparto", "Bar", "IVA per aliquota",
		"22%"} {
		if !strings.Contains(j.totals.Text, want) {
			t.Errorf("totals lack %q:\n%s", want, j.totals.Text)
		}
	}
	if strings.Contains(j.totals.Text, "Cucina") {
		t.Errorf("yesterday counts today's sale:\n%s", j.totals.Text)
	}
	detail := saleText(j.past.Sales[0])
	for _, want := range []string{"Caffè", "terminale 12345678", "STAN 0000", "aut.", "operatore 1", "IVA 22%"} {
		if !strings.Contains(detail, want) {
			t.Errorf("sale detail lacks %q:\n%s", want, detail)
		}
	}
	test.Tap(j.list.Rows[0])
	h.till.WaitIdle()
	if !h.dialogOpen() {
		t.Fatal("tapping a past sale shows nothing")
	}
	h.tap("Indietro")
	j.dayField.SetText(time.Now().AddDate(0, 0, 1).Format(dayLayout))
	j.dayField.OnSubmitted(j.dayField.Text)
	h.till.WaitIdle()
	if j.dayField.Text != yesterday || !strings.Contains(j.message.Text, "Giorno non valido") {
		t.Errorf("a future day: field %q, %q", j.dayField.Text, j.message.Text)
	}
	h.tap("Oggi")
	if j.past != nil || len(j.entries) != 1 || !strings.Contains(j.list.Rows[0].Left(), "Contanti") {
		t.Errorf("back to today: past %v, %d entries", j.past != nil, len(j.entries))
	}
}
