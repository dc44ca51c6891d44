package journalcli

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"till/app/checkout"
	"till/fiscal"
	"till/money"
	"till/pos"
	"till/storage"
)

// shop is a till's database with a day of sales written by the till's own writes: a cash
// sale, a sale paid by Coverflex on a terminal, and one left pending.
type shop struct {
	path     string
	day      string
	cashSale string
}

func newShop(t *testing.T) shop {
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
	sale := func() *checkout.Sale {
		s := &checkout.Sale{ID: storage.NewID(), StartedAt: time.Now()}
		for i := range 2 {
			s.Lines = append(s.Lines, checkout.Line{Description: deps[i].Name, QtyMilli: 1000, UnitPrice: money.Cents(250 + 100*i), Department: deps[i]})
		}
		return s
	}
	receipt := func(s *checkout.Sale, n int) checkout.Document {
		return checkout.Document{UUID: storage.NewID(), Kind: "receipt",
			DocumentRef: fiscal.DocumentRef{ZNumber: 3, Number: n, IssuedAt: time.Now(), Amount: s.Total(), PrinterSerial: "99MEY000001"}}
	}
	cash := sale()
	pay := checkout.Payment{ID: storage.NewID(), Method: fiscal.Cash, Amount: cash.Total(), Tendered: 1000, Change: 1000 - cash.Total()}
	if err := db.SavePending(ctx, cash, []checkout.Payment{pay}, &checkout.PrintIntent{}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkDocumented(ctx, cash.ID, receipt(cash, 1), nil, ""); err != nil {
		t.Fatal(err)
	}

	cf := sale()
	now := time.Now()
	a := &checkout.Attempt{ID: storage.NewID(), SaleID: cf.ID, Method: fiscal.Coverflex, State: checkout.AttemptCreated, Requested: cf.Total(),
		DeviceID: "dev-1", TerminalID: "12345678", PrevSTAN: "000041", Exclusive: true, WorkTimeout: time.Minute, CreatedAt: now, UpdatedAt: now}
	if err := db.RecordAttempt(ctx, cf, a); err != nil {
		t.Fatal(err)
	}
	for _, step := range []func() error{
		func() error { return a.Send(time.Now()) },
		func() error {
			return a.Approve(pos.Result{Outcome: pos.Approved, STAN: "000042", AuthCode: "A1B2C3", TerminalID: "12345678",
				Authorized: cf.Total()}, time.Now())
		},
	} {
		from := a.State
		if err := step(); err != nil {
			t.Fatal(err)
		}
		if err := db.UpdateAttempt(ctx, a, from, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SavePending(ctx, cf, nil, &checkout.PrintIntent{}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkDocumented(ctx, cf.ID, receipt(cf, 2), []string{a.ID}, ""); err != nil {
		t.Fatal(err)
	}
	if err := db.SavePending(ctx, sale(), nil, nil, time.Now()); err != nil {
		t.Fatal(err)
	}
	return shop{path: path, day: time.Now().Format(time.DateOnly), cashSale: cash.ID}
}

func run(fn func([]string, *bytes.Buffer, *bytes.Buffer) int, args ...string) (int, string, string) {
	var out, errs bytes.Buffer
	code := fn(args, &out, &errs)
	return code, out.String(), errs.String()
}

func journal(args []string, out, errs *bytes.Buffer) int { return RunJournal(args, out, errs) }
func audit(args []string, out, errs *bytes.Buffer) int   { return RunAudit(args, out, errs) }

func TestJournalTellsEverySaleInEitherLanguage(t *testing.T) {
	s := newShop(t)
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"it_IT.UTF-8", []string{"Giornale del " + s.day, "scontrino 0003-0001", "operatore 1", "contanti",
			"terminale 12345678 STAN 000042 autorizzazione A1B2C3", "IVA 22%", "Totali: 2 documentate", "1 in attesa", "Per reparto:"}},
		{"en_GB.UTF-8", []string{"Journal of " + s.day, "receipt 0003-0002", "operator 1", "cash",
			"terminal 12345678 STAN 000042 auth code A1B2C3", "VAT 22%", "Totals: 2 documented", "1 pending", "By department:"}},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			setLang(t, tt.lang)
			code, out, errs := run(journal, "--db", s.path, "--day", s.day)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("missing %q in\n%s", w, out)
				}
			}
		})
	}
}

func TestJournalJSON(t *testing.T) {
	s := newShop(t)
	code, out, errs := run(journal, "--db", s.path, "--day", s.day, "--json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var j storage.DayJournal
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatal(err)
	}
	if len(j.Sales) != 3 || j.Documented != 2 || j.Pending != 1 || len(j.ByMethod) != 2 || len(j.VAT) == 0 || len(j.ByDepartment) != 2 {
		t.Fatalf("journal %+v", j)
	}
	var sum money.Cents
	for _, m := range j.ByMethod {
		sum += m.AmountCents
	}
	var vat money.Cents
	for _, v := range j.VAT {
		vat += v.GrossCents
	}
	if sum != j.TotalCents || vat != j.TotalCents {
		t.Fatalf("methods %s, VAT gross %s, total %s", sum, vat, j.TotalCents)
	}
	cf := j.Sales[1].Payments[0]
	if cf.Method != "coverflex" || cf.TerminalID != "12345678" || cf.STAN != "000042" || cf.AuthCode != "A1B2C3" {
		t.Fatalf("coverflex payment %+v", cf)
	}
	for _, field := range []string{`"operator"`, `"document"`, `"stan"`, `"auth_code"`, `"terminal_id"`, `"by_method"`, `"by_department"`, `"vat"`} {
		if !strings.Contains(out, field) {
			t.Errorf("JSON lacks %s", field)
		}
	}
	if code, _, _ := run(journal, "--db", s.path, "--day", "2001-01-01", "--json"); code != ExitOK {
		t.Errorf("a day without sales: exit %d", code)
	}
}

func TestAuditVerify(t *testing.T) {
	setLang(t, "it_IT.UTF-8")
	s := newShop(t)
	code, out, errs := run(audit, "verify", "--db", s.path)
	if code != ExitOK || !strings.Contains(out, "Catena di controllo integra") {
		t.Fatalf("untouched: exit %d\n%s%s", code, out, errs)
	}
	db, err := storage.Open(context.Background(), s.path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().Exec(`UPDATE sales SET total_cents = total_cents + 500 WHERE id = ?`, s.cashSale); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, out, _ = run(audit, "verify", "--db", s.path)
	if code != ExitBroken || !strings.Contains(out, "sale "+s.cashSale) || !strings.Contains(out, "dati modificati") {
		t.Fatalf("edited: exit %d\n%s", code, out)
	}
	code, out, _ = run(audit, "verify", "--db", s.path, "--json")
	var rep VerifyReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != ExitBroken || rep.OK || rep.Broken == nil ||
		rep.Broken.ID != s.cashSale || rep.Broken.Reason != storage.BreakRecordAltered {
		t.Fatalf("JSON: exit %d %s (%v)", code, out, err)
	}
}

func TestUsageAndMissingDatabase(t *testing.T) {
	setLang(t, "en_US.UTF-8")
	missing := filepath.Join(t.TempDir(), "none.db")
	for _, tt := range []struct {
		fn   func([]string, *bytes.Buffer, *bytes.Buffer) int
		args []string
		want string
	}{
		{journal, nil, "usage: till journal"},
		{journal, []string{"--db", missing, "--day", "27/11/2026"}, "invalid day"},
		{journal, []string{"--db", missing, "--day", "2026-11-27"}, "not found"},
		{audit, nil, "usage: till audit verify"},
		{audit, []string{"check", "--db", missing}, "usage: till audit verify"},
		{audit, []string{"verify", "--db", missing}, "not found"},
	} {
		code, _, errs := run(tt.fn, tt.args...)
		if code != ExitError || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, %q; want %q", tt.args, code, errs, tt.want)
		}
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
	s := newShop(t)
	missing := filepath.Join(t.TempDir(), "none.db")
	for _, tt := range []struct {
		lang          string
		fn            func([]string, *bytes.Buffer, *bytes.Buffer) int
		args          []string
		want, notWant string // in stdout+stderr
	}{
		{"", journal, nil, "uso: till journal --db PERCORSO --day AAAA-MM-GG [--json]", "usage"},
		{"C.UTF-8", journal, []string{"--db", missing, "--day", "27/11/2026"}, "giorno non valido «27/11/2026»: usa AAAA-MM-GG", "invalid"},
		{"", journal, []string{"--db", missing, "--day", "2026-11-27"}, "database " + missing + " non trovato", "not found"},
		{"", journal, []string{"--db", s.path, "--day", "2001-01-01"}, "Giornale del 2001-01-01\nNessuna vendita in questo giorno.", "No sales"},
		{"C.UTF-8", audit, []string{"verify"}, "uso: till audit verify --db PERCORSO [--json]", "usage"},
		{"", audit, []string{"verify", "--db", s.path}, "Catena di controllo integra: ", "intact"},
		{"en_US.UTF-8", journal, nil, "usage: till journal --db PATH --day YYYY-MM-DD [--json]", "uso"},
		{"en_US.UTF-8", journal, []string{"--db", missing, "--day", "27/11/2026"}, "invalid day “27/11/2026”: use YYYY-MM-DD", "non valido"},
		{"en_US.UTF-8", journal, []string{"--db", s.path, "--day", "2001-01-01"}, "Journal of 2001-01-01\nNo sales on this day.", "Nessuna"},
		{"en_US.UTF-8", audit, []string{"verify"}, "usage: till audit verify --db PATH [--json]", "uso"},
		{"en_US.UTF-8", audit, []string{"verify", "--db", s.path}, "Audit chain intact: ", "integra"},
	} {
		t.Run(tt.lang+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			setLang(t, tt.lang)
			_, out, errs := run(tt.fn, tt.args...)
			if got := out + errs; !strings.Contains(got, tt.want) || strings.Contains(got, tt.notWant) {
				t.Fatalf("got %q, want %q and not %q", got, tt.want, tt.notWant)
			}
		})
	}
}

// TestJSONIsTheSameInEveryLanguage: scripts read --json, whatever the language.
func TestJSONIsTheSameInEveryLanguage(t *testing.T) {
	s := newShop(t)
	for _, tt := range []struct {
		fn   func([]string, *bytes.Buffer, *bytes.Buffer) int
		args []string
		want string
	}{
		{journal, []string{"--db", s.path, "--day", s.day, "--json"}, `"method": "cash"`},
		{audit, []string{"verify", "--db", s.path, "--json"}, `"ok":true`},
	} {
		var outs []string
		for _, lang := range []string{"", "en_US.UTF-8"} {
			setLang(t, lang)
			code, out, errs := run(tt.fn, tt.args...)
			if code != ExitOK || !strings.Contains(out, tt.want) {
				t.Fatalf("%v LANG=%q: exit %d\n%s%s", tt.args, lang, code, out, errs)
			}
			outs = append(outs, out)
		}
		if outs[0] != outs[1] {
			t.Fatalf("%v: Italian:\n%s\nEnglish:\n%s", tt.args, outs[0], outs[1])
		}
	}
}
