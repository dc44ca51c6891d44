package invoicecli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"till/app/checkout"
	"till/app/invoicecli"
	"till/app/invoicing"
	"till/fiscal"
	"till/storage"
)

// invoicedDB makes a database on a temp file with invoice 1/2026 and invoice 1/2027, issued
// through storage.DocumentInvoice, and returns its path and the two XML documents.
func invoicedDB(t *testing.T) (string, [][]byte) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "till.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	deps, err := db.Departments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	customer, err := db.SaveCustomer(ctx, checkout.Customer{Name: "Mario", Surname: "Rossi", TaxCode: "RSSMRA80A01H501U",
		Address: "Via Verdi 3", CAP: "10121", City: "Torino", Province: "TO", RecipientCode: "0000000"})
	if err != nil {
		t.Fatal(err)
	}
	var xmls [][]byte
	for _, at := range []time.Time{time.Date(2026, 12, 31, 18, 0, 0, 0, time.Local), time.Date(2027, 1, 4, 9, 0, 0, 0, time.Local)} {
		s := &checkout.Sale{ID: storage.NewID(), StartedAt: at,
			Lines: []checkout.Line{{Description: "Pranzo", QtyMilli: 1000, UnitPrice: 1250, Department: deps[0]}}}
		pays := []checkout.Payment{{ID: storage.NewID(), Method: fiscal.Cash, Amount: 1250}}
		if err := db.SavePending(ctx, s, pays, nil, at); err != nil {
			t.Fatal(err)
		}
		_, err := db.DocumentInvoice(ctx, s.ID, customer.ID, at, nil, func(number, year int) ([]byte, error) {
			x, err := invoicing.XML(s, pays, customer, checkout.DemoSeller(), number, year, at)
			xmls = append(xmls, x)
			return x, err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return path, xmls
}

func run(args ...string) (int, string, string) {
	var out, errs bytes.Buffer
	code := invoicecli.Run(args, &out, &errs)
	return code, out.String(), errs.String()
}

func TestExportWritesEachInvoiceUnderItsSdIName(t *testing.T) {
	setLang(t, "it_IT.UTF-8")
	dbPath, xmls := invoicedDB(t)
	tests := []struct {
		name    string
		args    []string
		files   map[string][]byte
		summary string // before the folder on stderr
	}{
		{"every year", nil, map[string][]byte{"IT02468135799_26001.xml": xmls[0], "IT02468135799_27001.xml": xmls[1]}, "2 fatture esportate in "},
		{"one year", []string{"--year", "2027"}, map[string][]byte{"IT02468135799_27001.xml": xmls[1]}, "1 fattura esportata in "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out", "fatture")
			code, out, errs := run(append([]string{"export", dir, "--db", dbPath}, tt.args...)...)
			if code != invoicecli.ExitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != len(tt.files) {
				t.Fatalf("wrote %v, want %d files", entries, len(tt.files))
			}
			for name, want := range tt.files {
				got, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil || !bytes.Equal(got, want) {
					t.Fatalf("%s: %v, content equal %v", name, err, bytes.Equal(got, want))
				}
				if !strings.Contains(out, filepath.Join(dir, name)+"\n") {
					t.Fatalf("stdout %q does not list %s", out, name)
				}
			}
			if want := tt.summary + dir; !strings.Contains(errs, want) {
				t.Fatalf("stderr %q, want %q", errs, want)
			}
		})
	}
	code, out, errs := run("export", t.TempDir(), "--db", dbPath, "--year", "2025")
	if code != invoicecli.ExitOK || out != "" || !strings.Contains(errs, "nessuna fattura del 2025") {
		t.Fatalf("year without invoices: exit %d out %q err %q", code, out, errs)
	}
}

func TestExportFailuresExitTwoWithAClearMessage(t *testing.T) {
	dbPath, _ := invoicedDB(t)
	tmp := t.TempDir()
	notSQLite := filepath.Join(tmp, "notes.txt")
	if err := os.WriteFile(notSQLite, []byte("not a database"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, lang string
		args       []string
		want       string
	}{
		{"missing database", "it_IT.UTF-8", []string{"export", tmp, "--db", filepath.Join(tmp, "none.db")}, "non trovato"},
		{"missing database in English", "en_GB.UTF-8", []string{"export", tmp, "--db", filepath.Join(tmp, "none.db")}, "not found"},
		{"not a database", "it_IT.UTF-8", []string{"export", tmp, "--db", notSQLite}, "impossibile aprire il database"},
		{"folder under a file", "it_IT.UTF-8", []string{"export", filepath.Join(notSQLite, "out"), "--db", dbPath}, "impossibile scrivere nella cartella"},
		{"folder under a file in English", "en_GB.UTF-8", []string{"export", filepath.Join(notSQLite, "out"), "--db", dbPath}, "cannot write to the folder"},
		{"no folder", "it_IT.UTF-8", []string{"export", "--db", dbPath}, "uso: till invoices export"},
		{"no database flag", "en_GB.UTF-8", []string{"export", tmp}, "usage: till invoices export"},
		{"bad year", "it_IT.UTF-8", []string{"export", tmp, "--db", dbPath, "--year", "26"}, "anno non valido"},
		{"unknown verb", "it_IT.UTF-8", []string{"import", tmp}, "uso:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setLang(t, tt.lang)
			code, out, errs := run(tt.args...)
			if code != invoicecli.ExitError || out != "" || !strings.Contains(errs, tt.want) {
				t.Fatalf("exit %d out %q err %q, want 2 and %q", code, out, errs, tt.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(tmp, "none.db")); err == nil {
		t.Fatal("a missing database was created")
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
	dbPath, _ := invoicedDB(t)
	tmp := t.TempDir()
	tests := []struct {
		lang          string
		args          []string
		want, notWant string
	}{
		{"", []string{"export"}, "uso: till invoices export CARTELLA --db PERCORSO [--year AAAA]", "usage"},
		{"C.UTF-8", []string{"export", tmp, "--db", dbPath, "--year", "1999"}, "anno non valido «1999»: usa 4 cifre", "invalid"},
		{"C.UTF-8", []string{"export", tmp, "--db", dbPath, "--year", "2025"}, "nessuna fattura del 2025 da esportare", "no invoices"},
		{"", []string{"export", tmp, "--db", dbPath}, "2 fatture esportate in " + tmp, "exported"},
		{"en_US.UTF-8", []string{"export"}, "usage: till invoices export DIR --db PATH [--year YYYY]", "uso"},
		{"en_US.UTF-8", []string{"export", tmp, "--db", dbPath, "--year", "1999"}, "invalid year “1999”: use 4 digits", "anno"},
		{"en_US.UTF-8", []string{"export", tmp, "--db", dbPath, "--year", "2025"}, "no invoices of 2025 to export", "fattur"},
		{"en_US.UTF-8", []string{"export", t.TempDir(), "--db", dbPath, "--year", "2026"}, "1 invoice exported to ", "esportat"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			setLang(t, tt.lang)
			_, _, errs := run(tt.args...)
			if !strings.Contains(errs, tt.want) || strings.Contains(errs, tt.notWant) {
				t.Fatalf("stderr %q, want %q and not %q", errs, tt.want, tt.notWant)
			}
		})
	}
}

func TestFileNameProgressive(t *testing.T) {
	x := []byte(`<?xml version="1.0"?><p:FatturaElettronica xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2">
<FatturaElettronicaHeader><DatiTrasmissione><IdTrasmittente><IdPaese>IT</IdPaese><IdCodice>01234567897</IdCodice>
</IdTrasmittente></DatiTrasmissione></FatturaElettronicaHeader></p:FatturaElettronica>`)
	tests := []struct {
		number, year int
		want         string
	}{
		{1, 2026, "IT01234567897_26001.xml"},
		{10, 2026, "IT01234567897_2600A.xml"},
		{36, 2027, "IT01234567897_27010.xml"},
		{46655, 2026, "IT01234567897_26ZZZ.xml"},
		{46656, 2026, ""},
		{0, 2026, ""},
	}
	for _, tt := range tests {
		got, err := invoicecli.FileName(x, tt.number, tt.year)
		if got != tt.want || (err != nil) != (tt.want == "") {
			t.Errorf("FileName(%d, %d) = %q, %v; want %q", tt.number, tt.year, got, err, tt.want)
		}
	}
	if _, err := invoicecli.FileName([]byte("<x/>"), 1, 2026); err == nil {
		t.Error("FileName of an XML without IdTrasmittente succeeded")
	}
}
