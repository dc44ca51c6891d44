package synccli

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"till/app/boot"
	"till/app/checkout"
	"till/money"
	"till/portal/portaltest"
	"till/storage"
)

// documentSales makes n cash sales in the till database at path through the checkout, then
// closes it, as a till that sold and was shut down before `till sync` runs.
func documentSales(t *testing.T, path string, n int) {
	t.Helper()
	ctx := context.Background()
	b, err := boot.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	deps, err := b.DB.Departments(ctx)
	if err != nil || len(deps) == 0 {
		t.Fatalf("departments: %v", err)
	}
	for range n {
		r := checkout.NewRegister(storage.NewID, time.Now)
		r.Digit("120")
		if err := r.Department(deps[0]); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Checkout.PayCash(ctx, r.Sale(), money.Cents(200)); err != nil {
			t.Fatal(err)
		}
	}
}

func run(args ...string) (code int, stdout, stderr string) {
	var out, errs bytes.Buffer
	code = Run(args, &out, &errs)
	return code, out.String(), errs.String()
}

type syncJSON struct {
	Pushed              *int   `json:"pushed"`
	Pending             *int   `json:"pending"`
	ConfigVersion       *int64 `json:"config_version"`
	CatalogueVersion    *int64 `json:"catalogue_version"`
	PortalSalesReceived *int64 `json:"portal_sales_received"`
}

func TestActivateAndSyncEndToEnd(t *testing.T) {
	setLang(t, "")
	p := portaltest.Start(t)
	db := filepath.Join(t.TempDir(), "till.db")
	documentSales(t, db, 7) // sold before activation: queued, sent after it

	code, out, errs := run("activate", "--db", db, "--portal", p.URL, "--code", p.Demo.Tills[1].ActivationCode)
	if code != ExitOK || !strings.Contains(out, p.Demo.Tills[1].ID) || !strings.Contains(out, "versione") {
		t.Fatalf("activate: %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = run("sync", "--db", db, "--json")
	if code != ExitOK {
		t.Fatalf("sync: %d\n%s\n%s", code, out, errs)
	}
	var got syncJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil || got.Pushed == nil || got.Pending == nil ||
		got.ConfigVersion == nil || got.CatalogueVersion == nil || got.PortalSalesReceived == nil {
		t.Fatalf("sync --json output %q: %v", out, err)
	}
	if *got.Pushed != 7 || *got.Pending != 0 || *got.ConfigVersion < 1 || *got.CatalogueVersion != 0 || *got.PortalSalesReceived != 7 {
		t.Fatalf("sync result %s", out)
	}
	// Nothing left: a second run pushes nothing and the portal still counts 7.
	documentSales(t, db, 2)
	code, out, _ = run("sync", "--db", db)
	if code != ExitOK || !strings.Contains(out, "2 vendite inviate") || !strings.Contains(out, "ricevuto 9 vendite") ||
		!strings.Contains(out, "catalogo della cassa") {
		t.Fatalf("second sync: %d %s", code, out)
	}
	setLang(t, "en_US.UTF-8") // the JSON is the same in every language
	code, out, _ = run("sync", "--db", db, "--json")
	setLang(t, "")
	if code != ExitOK || out != "{\"pushed\": 0, \"pending\": 0, \"config_version\": "+itoa(*got.ConfigVersion)+
		", \"catalogue_version\": 0, \"portal_sales_received\": 9}\n" {
		t.Fatalf("third sync: %d %q", code, out)
	}
	// Once the back office has a catalogue, the sync applies it and says its version.
	version := p.Catalogue(t, 20)
	code, out, _ = run("sync", "--db", db, "--json")
	if code != ExitOK || out != "{\"pushed\": 0, \"pending\": 0, \"config_version\": "+itoa(*got.ConfigVersion)+
		", \"catalogue_version\": "+itoa(version)+", \"portal_sales_received\": 9}\n" {
		t.Fatalf("sync with a catalogue: %d %q", code, out)
	}
	if code, out, _ = run("sync", "--db", db); code != ExitOK || !strings.Contains(out, "catalogo del portale versione "+itoa(version)) {
		t.Fatalf("sync with a catalogue: %d %s", code, out)
	}
}

func itoa(v int64) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestSyncSaysWhenThePortalIsUnreachable(t *testing.T) {
	setLang(t, "")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	code, _, errs := run("activate", "--db", filepath.Join(t.TempDir(), "till.db"), "--portal", url, "--code", "ABCD-EFGH")
	if code != ExitOffline || !strings.Contains(errs, "Portale "+url+" non raggiungibile") || !strings.Contains(errs, "\n  dettaglio: ") {
		t.Fatalf("activate offline: %d %s", code, errs)
	}

	p := portaltest.Start(t)
	db := filepath.Join(t.TempDir(), "till.db")
	if code, _, errs := run("activate", "--db", db, "--portal", p.URL, "--code", p.Demo.Tills[0].ActivationCode); code != ExitOK {
		t.Fatalf("activate: %s", errs)
	}
	documentSales(t, db, 3)
	p.Stop()
	code, out, errs := run("sync", "--db", db, "--json")
	if code != ExitOffline || out != "" || !strings.Contains(errs, "non raggiungibile") || !strings.Contains(errs, "\n  dettaglio: ") {
		t.Fatalf("sync offline: %d %q %s", code, out, errs)
	}
}

func TestSyncSaysWhenTheTokenIsRevokedAndKeepsTheSales(t *testing.T) {
	setLang(t, "")
	p := portaltest.Start(t)
	db := filepath.Join(t.TempDir(), "till.db")
	if code, _, errs := run("activate", "--db", db, "--portal", p.URL, "--code", p.Demo.Tills[0].ActivationCode); code != ExitOK {
		t.Fatalf("activate: %s", errs)
	}
	documentSales(t, db, 4)
	if err := p.Store.RevokeTillByID(context.Background(), p.Demo.Tills[0].ID); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run("sync", "--db", db, "--json")
	if code != ExitOffline || out != "" || !strings.Contains(errs, "revocato") || strings.Contains(errs, "revoked") {
		t.Fatalf("sync revoked: %d %q %s", code, out, errs)
	}
	sdb, err := storage.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	if n, _ := sdb.OutboxCount(context.Background()); n != 4 {
		t.Fatalf("outbox %d after revocation, want 4", n)
	}
	if doc, _, err := sdb.LoadConfig(context.Background()); err != nil || doc == nil {
		t.Fatalf("cached configuration lost: %v", err)
	}
}

func TestUsageAndUnknownCode(t *testing.T) {
	setLang(t, "")
	if code, _, errs := run("sync"); code != ExitOffline || !strings.Contains(errs, "till sync --db") {
		t.Fatalf("sync without --db: %d %s", code, errs)
	}
	p := portaltest.Start(t)
	code, _, errs := run("activate", "--db", filepath.Join(t.TempDir(), "till.db"), "--portal", p.URL, "--code", "ZZZZ-ZZZZ-ZZZZ")
	if code != ExitFailed || !strings.Contains(errs, "sconosciuto") {
		t.Fatalf("unknown code: %d %s", code, errs)
	}
}

// setLang sets the environment's language as a shell would, with nothing overriding LANG.
func setLang(t *testing.T, lang string) {
	t.Helper()
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", lang)
}

// TestMessagesInTheRunsLanguage: Italian unless the environment's language is English, and
// never the other language beside it.
func TestMessagesInTheRunsLanguage(t *testing.T) {
	p := portaltest.Start(t)
	missing := filepath.Join(t.TempDir(), "none.db")
	for _, tt := range []struct {
		lang          string
		args          []string
		want, notWant string // in stdout+stderr
	}{
		{"", nil, "uso: till activate --db PERCORSO --portal URL --code CODICE\nuso: till sync --db PERCORSO [--json]", "usage"},
		{"C.UTF-8", []string{"sync"}, "uso: till sync --db PERCORSO [--json]", "usage"},
		{"", []string{"sync", "--bogus"}, "opzione sconosciuta", "usage"},
		{"C.UTF-8", []string{"sync", "--db", missing}, "database " + missing + " non trovato: indica quello della cassa con --db", "not found"},
		{"", []string{"activate", "--db", filepath.Join(t.TempDir(), "a.db"), "--portal", p.URL, "--code", "ZZZZ-ZZZZ-ZZZZ"},
			"Codice di attivazione sconosciuto: generane uno nel portale per questa cassa.", "Unknown"},
		{"en_US.UTF-8", nil, "usage: till activate --db PATH --portal URL --code CODE\nusage: till sync --db PATH [--json]", "uso"},
		{"en_US.UTF-8", []string{"sync"}, "usage: till sync --db PATH [--json]", "uso"},
		{"en_US.UTF-8", []string{"sync", "--db", missing}, "database " + missing + " not found: give the till's one with --db", "trovato"},
		{"en_US.UTF-8", []string{"activate", "--db", filepath.Join(t.TempDir(), "a.db"), "--portal", p.URL, "--code", "ZZZZ-ZZZZ-ZZZZ"},
			"Unknown activation code: generate one in the portal for this till.", "sconosciuto"},
	} {
		t.Run(tt.lang+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			setLang(t, tt.lang)
			_, out, errs := run(tt.args...)
			if got := out + errs; !strings.Contains(got, tt.want) || strings.Contains(got, tt.notWant) {
				t.Fatalf("got %q, want %q and not %q", got, tt.want, tt.notWant)
			}
		})
	}
	setLang(t, "en_US.UTF-8")
	db := filepath.Join(t.TempDir(), "till.db")
	code, out, errs := run("activate", "--db", db, "--portal", p.URL, "--code", p.Demo.Tills[0].ActivationCode)
	if code != ExitOK || !strings.Contains(out, "Till activated: till_id "+p.Demo.Tills[0].ID) || !strings.Contains(out, "Configuration version ") ||
		strings.Contains(out, "versione") {
		t.Fatalf("activate in English: %d\n%s%s", code, out, errs)
	}
	if code, out, _ := run("sync", "--db", db); code != ExitOK || !strings.Contains(out, "Sync done: 0 sales sent") ||
		!strings.Contains(out, "the till's own catalogue") {
		t.Fatalf("sync in English: %d %s", code, out)
	}
}
