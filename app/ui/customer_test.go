package ui

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"till/app/checkout"
	"till/assets"
	"till/storage"
)

// customerHarness shows the customer screen alone on a test window, saving to a real database
// on a temp file.
type customerHarness struct {
	*harness
	db        *storage.DB
	screen    *customerScreen
	done      []checkout.Customer
	cancelled int
}

func newCustomerHarness(t *testing.T, saved ...checkout.Customer) *customerHarness {
	t.Helper()
	a := test.NewApp()
	t.Cleanup(a.Quit)
	a.Settings().SetTheme(Theme())
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "till.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, c := range saved {
		if _, err := db.SaveCustomer(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
	w := test.NewWindow(nil)
	w.Resize(WindowSize)
	till := &Till{win: w}
	till.bridge.manual = true
	h := &customerHarness{harness: &harness{t: t, till: till, win: w}, db: db}
	h.screen = newCustomerScreen(till, db,
		func(c checkout.Customer) { h.done = append(h.done, c) },
		func() { h.cancelled++ })
	till.show(h.screen)
	h.screen.open()
	till.WaitIdle()
	return h
}

// fill types the fields named in values, in form order, as a cashier would.
func (h *customerHarness) fill(values map[string]string) {
	for _, f := range customerFields {
		if v, ok := values[f]; ok {
			h.screen.entries[f].SetText("")
			test.Type(h.screen.entries[f], v)
		}
	}
}

func (h *customerHarness) saved() []checkout.Customer {
	h.t.Helper()
	list, err := h.db.Customers(context.Background(), 100)
	if err != nil {
		h.t.Fatal(err)
	}
	return list
}

func studio() map[string]string {
	return map[string]string{
		checkout.FieldCompany: "Studio Bianchi S.n.c.", checkout.FieldVATNumber: "it 12345678903",
		checkout.FieldAddress: "Corso Italia 10", checkout.FieldCAP: "00184", checkout.FieldCity: "Roma",
		checkout.FieldProvince: "rm", checkout.FieldRecipientCode: "abc1234",
	}
}

func TestCustomerFormRefusesInvalidDataNamingTheField(t *testing.T) {
	tests := []struct {
		name  string
		edit  map[string]string
		field string
		want  string
	}{
		{"wrong P.IVA check digit", map[string]string{checkout.FieldVATNumber: "12345678901"}, checkout.FieldVATNumber, "P.IVA errata"},
		{"CAP missing", map[string]string{checkout.FieldCAP: ""}, checkout.FieldCAP, "Inserisci il CAP"},
		{"business without SDI code or PEC", map[string]string{checkout.FieldRecipientCode: ""}, checkout.FieldRecipientCode, "codice SDI"},
		{"neither company nor name", map[string]string{checkout.FieldCompany: ""}, checkout.FieldCompany, "ragione sociale"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newCustomerHarness(t)
			values := studio()
			for k, v := range tt.edit {
				values[k] = v
			}
			h.fill(values)
			h.tap("CONFERMA")
			if got := h.screen.message.Text; !strings.Contains(got, tt.want) {
				t.Fatalf("message = %q, want it to mention %q", got, tt.want)
			}
			if focused := h.win.Canvas().Focused(); focused != h.screen.entries[tt.field] {
				t.Fatalf("focus on %v, want the %s entry", focused, tt.field)
			}
			if len(h.done) != 0 || len(h.saved()) != 0 {
				t.Fatalf("invalid customer handed on %+v or saved %+v", h.done, h.saved())
			}
		})
	}
}

func TestValidBusinessCustomerIsSavedAndHandedOn(t *testing.T) {
	h := newCustomerHarness(t)
	if h.win.Canvas().Focused() != h.screen.entries[checkout.FieldCompany] {
		t.Fatalf("focus on %v after open, want the company entry", h.win.Canvas().Focused())
	}
	h.fill(studio())
	h.tap("CONFERMA")
	want := checkout.Customer{Company: "Studio Bianchi S.n.c.", VATNumber: "12345678903", Address: "Corso Italia 10",
		CAP: "00184", City: "Roma", Province: "RM", RecipientCode: "ABC1234"}
	if len(h.done) != 1 || h.done[0].ID == "" {
		t.Fatalf("onDone got %+v, want one customer with an ID", h.done)
	}
	want.ID = h.done[0].ID
	if h.done[0] != want {
		t.Fatalf("onDone got\n %+v\nwant %+v", h.done[0], want)
	}
	if saved := h.saved(); len(saved) != 1 || saved[0] != want {
		t.Fatalf("saved %+v", saved)
	}
	if got := h.screen.entries[checkout.FieldProvince].Text; got != "RM" {
		t.Fatalf("form shows province %q, want the normalised RM", got)
	}
}

func TestPickingASavedCustomerFillsTheFormAndUpdatesIt(t *testing.T) {
	rossi := checkout.Customer{Name: "Mario", Surname: "Rossi", TaxCode: "RSSMRA80A01H501U", Address: "Via Verdi 3",
		CAP: "10121", City: "Torino", Province: "TO", RecipientCode: "0000000"}
	bianchi := checkout.Customer{Company: "Studio Bianchi S.n.c.", VATNumber: "12345678903", Address: "Corso Italia 10",
		CAP: "00184", City: "Roma", Province: "RM", RecipientCode: "ABC1234"}
	h := newCustomerHarness(t, rossi, bianchi) // Bianchi saved last: first in the list
	rows := h.screen.list.Rows
	if !strings.HasPrefix(rows[0].Left(), "Studio Bianchi") || rows[1].Left() != "Mario Rossi · RSSMRA80A01H501U · Torino" ||
		rows[2].Left() != "" {
		t.Fatalf("list rows %q, %q, %q", rows[0].Left(), rows[1].Left(), rows[2].Left())
	}
	test.Tap(rows[1])
	for f, want := range map[string]string{checkout.FieldName: "Mario", checkout.FieldSurname: "Rossi",
		checkout.FieldTaxCode: "RSSMRA80A01H501U", checkout.FieldCity: "Torino", checkout.FieldCompany: "",
		checkout.FieldRecipientCode: "0000000"} {
		if got := h.screen.entries[f].Text; got != want {
			t.Errorf("%s = %q, want %q", f, got, want)
		}
	}
	if !rows[1].Selected() {
		t.Error("the picked row is not highlighted")
	}
	h.screen.entries[checkout.FieldAddress].SetText("Via Verdi 5")
	h.tap("CONFERMA")
	saved := h.saved()
	if len(h.done) != 1 || len(saved) != 2 || saved[0].ID != h.done[0].ID || saved[0].Address != "Via Verdi 5" ||
		saved[0].Surname != "Rossi" {
		t.Fatalf("onDone %+v, saved %+v: want Rossi updated in place and first", h.done, saved)
	}

	h.screen.open()
	h.till.WaitIdle()
	h.tap("Nuovo cliente")
	if h.screen.id != "" || h.screen.entries[checkout.FieldName].Text != "" || !strings.HasPrefix(rows[0].Left(), "Mario Rossi") {
		t.Fatalf("after open and Nuovo cliente: id %q name %q first row %q", h.screen.id,
			h.screen.entries[checkout.FieldName].Text, rows[0].Left())
	}
}

func TestCustomerBackAndEscapeCancel(t *testing.T) {
	h := newCustomerHarness(t)
	h.tap("Indietro")
	h.screen.typedKey(fyne.KeyEscape)
	city := h.screen.entries[checkout.FieldCity]
	test.Type(city, "Rom")
	city.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) // Esc while typing in a field
	if h.cancelled != 3 || len(h.done) != 0 || city.Text != "Rom" {
		t.Fatalf("cancelled %d times, done %+v", h.cancelled, h.done)
	}
}

// TestEveryCustomerErrorIsTranslated keeps the messages in step with checkout.Customer.Validate:
// every field and reason it can return has a sentence in Italian and in English.
func TestEveryCustomerErrorIsTranslated(t *testing.T) {
	errs := []string{"company.missing", "company.too-long", "name.missing", "name.too-long", "surname.missing",
		"surname.too-long", "vatNumber.missing", "vatNumber.format", "vatNumber.checksum", "taxCode.format",
		"taxCode.checksum", "address.missing", "address.too-long", "cap.missing", "cap.format", "city.missing",
		"city.too-long", "province.missing", "province.format", "recipientCode.missing", "recipientCode.format", "pec.format"}
	for _, file := range []string{"invoice.it.json", "invoice.en.json"} {
		body, err := assets.Translations.ReadFile("translations/" + file)
		if err != nil {
			t.Fatal(err)
		}
		var texts map[string]string
		if err := json.Unmarshal(body, &texts); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		var keys []string
		for _, e := range errs {
			keys = append(keys, "customer.err."+e)
		}
		for _, f := range customerFields {
			keys = append(keys, "customer.field."+f, "customer.hint."+f)
		}
		for _, k := range keys {
			if strings.TrimSpace(texts[k]) == "" {
				t.Errorf("%s has no text for %s", file, k)
			}
		}
	}
	c := checkout.Customer{VATNumber: "12345678901"}
	if got := customerErrorText(c.Validate()); got != "Inserisci la ragione sociale, oppure nome e cognome per un privato." {
		t.Fatalf("Italian text = %q", got)
	}
}

func TestCustomerSummaryNamesTheCustomerAndItsID(t *testing.T) {
	tests := []struct {
		c    checkout.Customer
		want string
	}{
		{checkout.Customer{Company: "Studio Bianchi", VATNumber: "12345678903"}, "Studio Bianchi · P.IVA 12345678903"},
		{checkout.Customer{Name: "Mario", Surname: "Rossi", TaxCode: "RSSMRA80A01H501U"}, "Mario Rossi · Codice fiscale RSSMRA80A01H501U"},
	}
	for _, tt := range tests {
		if got := customerSummary(tt.c); got != tt.want {
			t.Errorf("customerSummary = %q, want %q", got, tt.want)
		}
	}
}
