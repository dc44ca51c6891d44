package configcli

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"till/app/config"
	"till/app/errtext"
	"till/storage"
)

// specExample is the document of docs/spec/config.md.
const specExample = `{
  "format": 1, "version": 42,
  "account": { "id": "acc-1", "name": "Bar Centrale S.r.l.", "coverflex_enabled": true },
  "sales_point": { "id": "sp-1", "name": "Milano Centro", "coverflex_visible": true, "coverflex_merchant_id": "CFX0001234" },
  "till": { "id": "till-1", "name": "Cassa 1" },
  "tills": [ { "id": "till-1", "name": "Cassa 1" }, { "id": "till-2", "name": "Cassa 2" } ],
  "payment_devices": [
    { "id": "dev-1", "name": "POS banco", "model": "Ingenico_EMW", "terminal_id": "12345678",
      "link": "tcp://192.168.1.50:9100", "enabled_tills": ["till-1", "till-2"] },
    { "id": "dev-2", "name": "POS sala", "model": "Ingenico EMW_IT", "terminal_id": "87654321",
      "link": "serial:///dev/ttyUSB0?baud=9600", "enabled_tills": ["till-1"] }
  ]
}`

func openDB(t *testing.T) *storage.DB {
	t.Helper()
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "till.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// writeDoc writes the spec example, changed by change, to a file and returns its path.
func writeDoc(t *testing.T, change func(d *config.Document)) string {
	t.Helper()
	var d config.Document
	if err := json.Unmarshal([]byte(specExample), &d); err != nil {
		t.Fatal(err)
	}
	change(&d)
	data, err := json.Marshal(&d)
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, data)
}

func writeFile(t *testing.T, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportCachesTheFileAndTheTillKeepsItWhenTheFileIsGone(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	path := writeFile(t, []byte(specExample))
	doc, err := Import(ctx, db, path)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Version != 42 || !config.Coverflex(doc).Offered {
		t.Fatalf("imported %+v", doc)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	cached, at, err := db.LoadConfig(ctx)
	if err != nil || cached == nil || at.IsZero() {
		t.Fatalf("LoadConfig = %v, %v, %v", cached, at, err)
	}
	a := config.Coverflex(cached)
	if cached.Version != 42 || !a.Offered || len(a.Terminals) != 2 || a.Terminals[1].TerminalID != "87654321" {
		t.Fatalf("cached copy %+v, availability %+v", cached, a)
	}
	if _, err := Import(ctx, db, path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("import of a missing file: %v", err)
	}
	if again, _, _ := db.LoadConfig(ctx); again == nil || again.Version != 42 {
		t.Fatalf("a missing file changed the cache: %+v", again)
	}
}

func TestImportRefusesABadFileNamingTheFieldAndKeepsThePreviousConfig(t *testing.T) {
	tests := []struct {
		name   string
		file   func(t *testing.T) string
		field  string
		reason string // in the error's text
	}{
		{"device of another model with a link the till refuses", func(t *testing.T) string {
			return writeDoc(t, func(d *config.Document) {
				d.PaymentDevices[1].Model, d.PaymentDevices[1].Link = "Verifone V240m", "tcp://192.168.1.60"
			})
		}, "payment_devices[1].link", "tcp://192.168.1.60"},
		{"missing Terminal ID", func(t *testing.T) string {
			return writeDoc(t, func(d *config.Document) { d.PaymentDevices[0].TerminalID = "" })
		}, "payment_devices[0].terminal_id", "missing"},
		{"device enabled for an unknown till", func(t *testing.T) string {
			return writeDoc(t, func(d *config.Document) { d.PaymentDevices[1].EnabledTills = []string{"till-7"} })
		}, "payment_devices[1].enabled_tills[0]", "till-7"},
		{"duplicate Terminal IDs", func(t *testing.T) string {
			return writeDoc(t, func(d *config.Document) { d.PaymentDevices[1].TerminalID = "12345678" })
		}, "payment_devices[1].terminal_id", "payment_devices[0]"},
		{"broken JSON", func(t *testing.T) string {
			return writeFile(t, []byte(specExample[:120]))
		}, "(document)", "not valid JSON"},
		{"profile override pos refuses", func(t *testing.T) string {
			return writeDoc(t, func(d *config.Document) { d.PaymentDevices[1].Profile = map[string]string{"lrc": "xyz"} })
		}, "payment_devices[1].profile", "xyz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openDB(t)
			ctx := context.Background()
			previous := writeDoc(t, func(d *config.Document) { d.Version = 41; d.SalesPoint.CoverflexVisible = false })
			if _, err := Import(ctx, db, previous); err != nil {
				t.Fatal(err)
			}
			path := tt.file(t)
			doc, err := Import(ctx, db, path)
			var fe *config.FieldError
			if doc != nil || !errors.As(err, &fe) || fe.Field != tt.field {
				t.Fatalf("Import = %v, %v; want an error on %s", doc, err, tt.field)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.field) || !strings.Contains(msg, tt.reason) || !strings.Contains(msg, path) {
				t.Fatalf("message %q does not name the file, %s and %q", msg, tt.field, tt.reason)
			}
			cached, _, err := db.LoadConfig(ctx)
			if err != nil || cached.Version != 41 || cached.SalesPoint.CoverflexVisible {
				t.Fatalf("the previous configuration is not in force: %+v, %v", cached, err)
			}
		})
	}
}

func TestImportOfAnOlderFileReplacesANewerCache(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	if _, err := Import(ctx, db, writeDoc(t, func(d *config.Document) { d.Version = 50 })); err != nil {
		t.Fatal(err)
	}
	if _, err := Import(ctx, db, writeDoc(t, func(d *config.Document) { d.Version = 3; d.Account.CoverflexEnabled = false })); err != nil {
		t.Fatal(err)
	}
	cached, _, err := db.LoadConfig(ctx)
	if err != nil || cached.Version != 3 || config.Coverflex(cached).Offered {
		t.Fatalf("cached %+v, %v", cached, err)
	}
}

// TestImportErrorsSayTheFileInTheRunsLanguage: the commands print errtext.Text of Import's
// error, Italian unless the environment's language is English, with the technical detail
// on its own line.
func TestImportErrorsSayTheFileInTheRunsLanguage(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	missing := filepath.Join(t.TempDir(), "none.json")
	bad := writeDoc(t, func(d *config.Document) { d.PaymentDevices[0].TerminalID = "" })
	for _, tt := range []struct {
		lang, path    string
		want, notWant string
	}{
		{"", missing, "impossibile leggere il file di configurazione " + missing + ":", "cannot"},
		{"C.UTF-8", bad, "il file di configurazione " + bad + " non è valido (campo payment_devices[0].terminal_id):", "not valid"},
		{"en_US.UTF-8", missing, "cannot read the configuration file " + missing + ":", "impossibile"},
		{"en_US.UTF-8", bad, "the configuration file " + bad + " is not valid (field payment_devices[0].terminal_id):", "non è valido"},
	} {
		t.Setenv("LC_ALL", "")
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANG", tt.lang)
		_, err := Import(ctx, db, tt.path)
		text := errtext.Explain(err)
		if !strings.HasPrefix(text, tt.want) || strings.Contains(text, tt.notWant) || !strings.Contains(text, "\n") {
			t.Errorf("LANG=%q %s: %q, want %q then the detail", tt.lang, tt.path, text, tt.want)
		}
	}
}
