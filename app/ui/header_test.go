package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"till/app/checkout"
	"till/app/tillsync"
	"till/storage"
)

// The header read "Cassa · demo" and the database's path on every till: it names the sales
// point and the till from the configuration, and shows the time.
func TestHeaderNamesTheTillFromItsConfiguration(t *testing.T) {
	h := newHarness(t)
	s := h.till.sale
	if s.title.Text != "test" || s.demo.Visible() {
		t.Fatalf("before any configuration: title %q, DEMO shown %v", s.title.Text, s.demo.Visible())
	}
	if now := time.Now(); s.clock.Text != now.Format("15:04") && s.clock.Text != now.Add(-time.Minute).Format("15:04") {
		t.Fatalf("clock %q at %s", s.clock.Text, now.Format("15:04"))
	}
	h.terminals(1, nil) // caches a configuration: sales point "Milano", till "Cassa 1"
	h.till.SyncChanged(tillsync.State{Activated: true, Online: true, ConfigVersion: 3})
	h.till.WaitIdle()
	if s.title.Text != "Milano · Cassa 1" {
		t.Fatalf("title %q, want the configured names", s.title.Text)
	}
	if got := s.syncLine.Text; got != "Portale collegato" {
		t.Fatalf("sync state %q", got)
	}
}

// A demo till without a configuration says so; it never shows where its database is.
func TestDemoHeaderIsMarked(t *testing.T) {
	h := newHarness(t)
	w := test.NewWindow(nil)
	defer w.Close()
	till := New(w, Deps{Store: h.boot.DB, Devices: h.boot, Checkout: h.boot.Checkout, Seller: checkout.DemoSeller(),
		NewID: storage.NewID, Title: "Cassa · demo", Demo: true, Headless: true})
	defer till.Close()
	till.WaitIdle()
	if till.sale.title.Text != "Cassa · demo" || !till.sale.demo.Visible() || till.sale.demo.Text != "DEMO" {
		t.Fatalf("demo header: %q DEMO %v", till.sale.title.Text, till.sale.demo.Visible())
	}
}

// The header's clock turns with the minute and stops when the till closes.
func TestHeaderClockTicksAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	// A minute that turns 20 ms from now.
	start := time.Date(2026, 11, 27, 9, 59, 59, 980_000_000, time.Local)
	began := time.Now()
	now := func() time.Time { return start.Add(time.Since(began)) }
	shown := make(chan string, 4)
	done := startHeaderClock(ctx, now, func(hhmm string) { shown <- hhmm })
	select {
	case got := <-shown:
		if got != "10:00" {
			t.Fatalf("clock shows %q, want 10:00", got)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the clock did not turn with the minute")
	}
	cancel()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("the clock's goroutine outlived the till")
	}
}

// "1 vendite da inviare": the sync state counts in the singular too, and says it briefly.
func TestSyncStateIsShortAndCountsRight(t *testing.T) {
	since := time.Date(2026, 11, 27, 9, 30, 0, 0, time.Local)
	tests := []struct {
		s    tillsync.State
		want string
	}{
		{tillsync.State{}, ""},
		{tillsync.State{Activated: true, Online: true}, "Portale collegato"},
		{tillsync.State{Activated: true, Online: true, Pending: 1}, "Portale collegato · 1 vendita da inviare"},
		{tillsync.State{Activated: true, Online: true, Pending: 3}, "Portale collegato · 3 vendite da inviare"},
		{tillsync.State{Activated: true, OfflineSince: since, Pending: 1}, "1 vendita da inviare"},
		{tillsync.State{Activated: true, ErrorKind: tillsync.KindRevoked, Pending: 1}, "1 vendita conservata"},
	}
	for _, tt := range tests {
		got := syncText(tt.s)
		if (tt.want == "" && got != "") || !strings.Contains(got, tt.want) {
			t.Errorf("%+v: %q, want %q", tt.s, got, tt.want)
		}
		if len([]rune(got)) > 80 {
			t.Errorf("%+v: %q is too long for the header", tt.s, got)
		}
	}
	if got := syncText(tillsync.State{Activated: true, OfflineSince: since, Pending: 2}); !strings.Contains(got, "27/11 09:30") {
		t.Errorf("offline since: %q", got)
	}
}
