package ui

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"till/app/boot"
	"till/fiscal/rtsim"
)

// TestJournalCopiesAnEarlierReceiptByNumberOnlyWhenThePrinterCan: two receipts on the Epson
// driver and the RT simulator; the first one's detail offers "Copia" by number when both sides
// take the assumption, and otherwise a disabled button that says why; the last one is always
// copied as the printer's duplicate.
func TestJournalCopiesAnEarlierReceiptByNumberOnlyWhenThePrinterCan(t *testing.T) {
	for _, byNumber := range []bool{false, true} {
		t.Run(map[bool]string{false: "documented printer", true: "reprint by number"}[byNumber], func(t *testing.T) {
			rt, err := rtsim.New(rtsim.Config{Serial: "99MEY000042", HangMax: 10 * time.Second, AssumeContentByNumbers: byNumber})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(rt)
			t.Cleanup(func() { rt.Close(); srv.Close() })
			h := newHarnessWith(t, boot.Options{PrinterURL: srv.URL + "?serial=99MEY000042", PrinterTimeout: time.Second, PrinterReprintByNumber: byNumber})
			for range 2 {
				h.tap("Caffè\n1,20", "PAGA", "Contanti", "CONFERMA")
			}
			if n := len(receipts(rt)); n != 2 {
				t.Fatalf("%d receipts", n)
			}
			h.tap("Giornale")
			j := h.till.journal
			row := -1
			for i, r := range j.list.Rows {
				if strings.Contains(r.Left(), "0001-0001") {
					row = i
				}
			}
			if row < 0 {
				t.Fatal("no row for 0001-0001")
			}
			test.Tap(j.list.Rows[row])
			h.till.WaitIdle()
			if byNumber {
				h.tap("Copia dello scontrino")
				if got := copiesOf(rt); len(got) != 1 || got[0] != "0001-0001" {
					t.Fatalf("copies of %v, want 0001-0001; message %q", got, j.message.Text)
				}
				return
			}
			why := "Ristampa solo dell'ultimo documento"
			b, ok := h.button(why).(*widget.Button)
			if !ok || !b.Disabled() {
				t.Fatalf("the copy button of an earlier receipt is not disabled with %q", why)
			}
			h.tap("Indietro")
			if len(copiesOf(rt)) != 0 {
				t.Fatalf("printed %v", copiesOf(rt))
			}
		})
	}
}

func copiesOf(rt *rtsim.Server) []string {
	var of []string
	for _, e := range rt.Journal() {
		if e.Kind == rtsim.KindCopy {
			of = append(of, e.Original)
		}
	}
	return of
}
