package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"till/app/configcli"
	"till/app/tillsync"
	"till/portal/portaltest"

	"fyne.io/fyne/v2/test"
)

// waitFor polls the syncer's state (bounded) and applies the queued UI updates until the
// status line shows a state that satisfies ok: the syncer changes its state before it tells
// the window, so the state alone does not say the window has been told.
func waitFor(t *testing.T, h *harness, what string, ok func(tillsync.State) bool, link tillsync.Link) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		h.till.WaitIdle()
		st := link.State()
		if ok(st) && h.till.sale.syncLine.Text == syncText(st) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: state %+v, status line %q", what, st, h.till.sale.syncLine.Text)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestActivationFromSettingsThenOnlineAndOfflineStatus(t *testing.T) {
	h := newHarness(t)
	p := portaltest.Start(t)
	client := &tillsync.Client{DB: h.boot.DB}
	syncer := tillsync.NewSyncer(client, tillsync.Options{Poll: 50 * time.Millisecond, PullEvery: time.Second,
		Backoff: tillsync.Backoff{Min: 50 * time.Millisecond, Max: 200 * time.Millisecond},
		OnState: func(s tillsync.State) { h.till.SyncChanged(s) }})
	link := tillsync.Link{Client: client, Syncer: syncer}
	h.till.deps.Sync = link
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go syncer.Run(ctx)

	h.till.settings.applyActivation(p.URL, p.Demo.Tills[0].ActivationCode)
	h.till.WaitIdle()
	if !strings.Contains(h.till.settings.message.Text, "collegata") {
		t.Fatalf("activation: %q", h.till.settings.message.Text)
	}
	waitFor(t, h, "online with the portal's configuration", func(s tillsync.State) bool { return s.Online && s.ConfigVersion > 0 }, link)
	if got := h.till.sale.syncLine.Text; !strings.Contains(got, "collegato") || strings.Contains(got, "inviare") {
		t.Fatalf("status line %q", got)
	}
	// Coverflex from the portal's demo configuration is now offered on this till.
	doc, err := h.boot.Config(context.Background())
	if err != nil || doc == nil || doc.SalesPoint.CoverflexMerchantID != p.Demo.MerchantID {
		t.Fatalf("cached config %+v %v", doc, err)
	}
	// A terminal added on this till appears in the portal's step 4.
	h.till.settings.registerDevice(tillsync.Device{ID: "pos-nuovo", Name: "POS nuovo", Model: "Ingenico EMW_IT", Link: "tcp://127.0.0.1:9200"})
	h.till.WaitIdle()
	listed, err := p.Store.Devices(context.Background(), p.Demo.SalesPointID, true)
	found := false
	for _, d := range listed {
		found = found || d.ID == "pos-nuovo"
	}
	if err != nil || !found || !strings.Contains(h.till.settings.message.Text, "POS nuovo") {
		t.Fatalf("registered device: %v %v %q", listed, err, h.till.settings.message.Text)
	}
	h.till.settings.registerDevice(tillsync.Device{ID: "x", Name: "Senza link", Model: "Ingenico_EMW", Link: "192.168.1.9"})
	if !strings.Contains(h.till.settings.message.Text, "tcp://") {
		t.Fatalf("a bad link was not refused: %q", h.till.settings.message.Text)
	}
	p.Stop()
	h.tap("Caffè\n1,20", "PAGA", "Contanti", "CONFERMA") // kicks a push to a portal that is gone
	waitFor(t, h, "offline with one sale pending", func(s tillsync.State) bool { return !s.Online && s.Pending == 1 }, link)
	if got := h.till.sale.syncLine.Text; !strings.Contains(got, "non raggiungibile") || !strings.Contains(got, "1 vendita da inviare") {
		t.Fatalf("status line offline %q", got)
	}
}

func TestRefusedConfigurationFileIsShownToTheManagerAtStart(t *testing.T) {
	h := newHarness(t)
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"format":1,"version":3,"account":{"id":"a"},"sales_point":{"id":"s"},"till":{"id":"t1"},
		"tills":[{"id":"t1"}],"payment_devices":[{"id":"d","name":"POS","model":"Verifone","terminal_id":"12345678",
		"link":"tcp://127.0.0.1","enabled_tills":["t1"]}]}`), 0o600)
	_, err := configcli.Import(context.Background(), h.boot.DB, bad)
	if err == nil {
		t.Fatal("a device with a link the till cannot dial was imported")
	}
	deps := h.till.deps
	deps.ConfigImportErr = err
	again := New(test.NewWindow(nil), deps)
	again.WaitIdle()
	if msg := again.sale.message.Text; !strings.Contains(msg, "resta in uso quella precedente") || !strings.Contains(msg, "payment_devices[0]") {
		t.Fatalf("message at start %q", msg)
	}
}
