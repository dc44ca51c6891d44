package storage_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"till/app/checkout"
	"till/app/invoicing"
	"till/fiscal"
	"till/storage"
)

// invoiceDB is a demo database on a temp file with one saved customer.
type invoiceDB struct {
	db       *storage.DB
	deps     []checkout.Department
	customer checkout.Customer
}

func newInvoiceDB(t *testing.T) *invoiceDB {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "till.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	deps, err := db.Departments(ctx)
	if err != nil || len(deps) < 2 {
		t.Fatalf("departments %v: %v", deps, err)
	}
	c, err := db.SaveCustomer(ctx, checkout.Customer{Company: "Studio Bianchi S.n.c.", VATNumber: "12345678903",
		Address: "Corso Italia 10", CAP: "00184", City: "Roma", Province: "RM", RecipientCode: "ABC1234"})
	if err != nil {
		t.Fatal(err)
	}
	return &invoiceDB{db: db, deps: deps, customer: c}
}

// pending saves a pending sale of 12,50 + 3,00 € paid in cash.
func (f *invoiceDB) pending(t *testing.T, at time.Time) (*checkout.Sale, []checkout.Payment) {
	t.Helper()
	s := &checkout.Sale{ID: storage.NewID(), StartedAt: at, Lines: []checkout.Line{
		{Description: "Pranzo", QtyMilli: 1000, UnitPrice: 1250, Department: f.deps[0]},
		{Description: "Caffè", QtyMilli: 2000, UnitPrice: 150, Department: f.deps[1]},
	}}
	pays := []checkout.Payment{{ID: storage.NewID(), Method: fiscal.Cash, Amount: 1550, Tendered: 2000, Change: 450}}
	if err := f.db.SavePending(context.Background(), s, pays, nil, at); err != nil {
		t.Fatal(err)
	}
	return s, pays
}

// invoice documents a pending sale with a real FatturaPA build.
func (f *invoiceDB) invoice(s *checkout.Sale, pays []checkout.Payment, at time.Time) (checkout.Document, error) {
	return f.db.DocumentInvoice(context.Background(), s.ID, f.customer.ID, at, nil, func(number, year int) ([]byte, error) {
		return invoicing.XML(s, pays, f.customer, checkout.DemoSeller(), number, year, at)
	})
}

func TestInvoiceNumbersFollowEachOtherAndRestartEachYear(t *testing.T) {
	f := newInvoiceDB(t)
	ctx := context.Background()
	dates := []time.Time{
		time.Date(2026, 12, 30, 10, 0, 0, 0, time.Local),
		time.Date(2026, 12, 31, 10, 0, 0, 0, time.Local),
		time.Date(2026, 12, 31, 23, 0, 0, 0, time.Local),
		time.Date(2027, 1, 2, 9, 0, 0, 0, time.Local),
	}
	want := []struct {
		number int
		text   string
	}{{1, "1/2026"}, {2, "2/2026"}, {3, "3/2026"}, {1, "1/2027"}}
	var sales []*checkout.Sale
	for i, at := range dates {
		s, pays := f.pending(t, at)
		sales = append(sales, s)
		doc, err := f.invoice(s, pays, at)
		if err != nil {
			t.Fatal(err)
		}
		if doc.Kind != "invoice" || doc.Number != want[i].number || doc.Label != want[i].text || doc.Amount != 1550 || !doc.IssuedAt.Equal(at) {
			t.Fatalf("invoice %d: %+v, want number %d", i, doc, want[i].number)
		}
		stored, err := f.db.Sale(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if stored.State != "documented" || stored.Document == nil || stored.Document.Kind != "invoice" {
			t.Fatalf("sale %d stored as %+v", i, stored)
		}
		var kind, customer, number string
		var year int
		if err := f.db.SQL().QueryRow(`SELECT s.document_kind, s.customer_id, d.number, d.year FROM sales s
			JOIN documents d ON d.sale_id = s.id WHERE s.id = ?`, s.ID).Scan(&kind, &customer, &number, &year); err != nil {
			t.Fatal(err)
		}
		if kind != "invoice" || customer != f.customer.ID || number != want[i].text || year != at.Year() {
			t.Fatalf("sale %d: kind %s customer %s number %s year %d", i, kind, customer, number, year)
		}
	}

	var payload, payState string
	if err := f.db.SQL().QueryRow(`SELECT payload FROM outbox WHERE ref_id = ?`, sales[1].ID).Scan(&payload); err != nil {
		t.Fatal(err)
	}
	var rec storage.SaleRecord
	if err := json.Unmarshal([]byte(payload), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Document.Kind != "invoice" || rec.Document.Number != "2/2026" || rec.Document.Year != 2026 ||
		!strings.Contains(rec.Document.XML, "<Numero>2/2026</Numero>") || rec.TotalCents != 1550 ||
		len(rec.Payments) != 1 || rec.Payments[0].Method != "cash" || len(rec.Lines) != 2 {
		t.Fatalf("outbox record %+v", rec)
	}
	if err := f.db.SQL().QueryRow(`SELECT state FROM payments WHERE sale_id = ?`, sales[1].ID).Scan(&payState); err != nil || payState != "documented" {
		t.Fatalf("payment state %q: %v", payState, err)
	}

	all, err := f.db.Invoices(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, inv := range all {
		number := fmt.Sprintf("%d/%d", inv.Number, inv.Year)
		got = append(got, number)
		if !strings.Contains(string(inv.XML), "<Numero>"+number+"</Numero>") {
			t.Fatalf("invoice %d/%d holds another XML", inv.Number, inv.Year)
		}
	}
	if strings.Join(got, " ") != "1/2026 2/2026 3/2026 1/2027" {
		t.Fatalf("Invoices(0) = %v", got)
	}
	of2027, err := f.db.Invoices(ctx, 2027)
	if err != nil || len(of2027) != 1 || of2027[0].SaleID != sales[3].ID {
		t.Fatalf("Invoices(2027) = %+v, %v", of2027, err)
	}
}

func TestFailedInvoiceBuildLeavesNothingAndKeepsTheNumber(t *testing.T) {
	f := newInvoiceDB(t)
	ctx := context.Background()
	at := time.Date(2026, 5, 4, 12, 0, 0, 0, time.Local)
	s, pays := f.pending(t, at)
	boom := errors.New("printer of XML on fire")
	var asked []int
	_, err := f.db.DocumentInvoice(ctx, s.ID, f.customer.ID, at, nil, func(number, year int) ([]byte, error) {
		asked = append(asked, number)
		return nil, boom
	})
	if !errors.Is(err, boom) || len(asked) != 1 || asked[0] != 1 {
		t.Fatalf("err %v, build asked for %v", err, asked)
	}
	stored, err := f.db.Sale(ctx, s.ID)
	if err != nil || stored.State != "pending" || stored.Document != nil {
		t.Fatalf("after a failed build: %+v %v", stored, err)
	}
	if n, _ := f.db.OutboxCount(ctx); n != 0 {
		t.Fatalf("outbox holds %d records", n)
	}
	if inv, _ := f.db.Invoices(ctx, 0); len(inv) != 0 {
		t.Fatalf("invoices after a failed build: %+v", inv)
	}
	doc, err := f.invoice(s, pays, at)
	if err != nil || doc.Number != 1 {
		t.Fatalf("retry got %+v, %v; want number 1", doc, err)
	}
}

func TestInvoiceRefusedUnlessPendingSaleAndSavedCustomer(t *testing.T) {
	f := newInvoiceDB(t)
	ctx := context.Background()
	at := time.Date(2026, 5, 4, 12, 0, 0, 0, time.Local)
	done, pays := f.pending(t, at)
	if _, err := f.invoice(done, pays, at); err != nil {
		t.Fatal(err)
	}
	other, _ := f.pending(t, at)
	tests := []struct {
		name     string
		sale     string
		customer string
		want     error
	}{
		{"documented sale", done.ID, f.customer.ID, storage.ErrNotPending},
		{"unknown sale", "no-such-sale", f.customer.ID, storage.ErrNoSale},
		{"unknown customer", other.ID, "no-such-customer", storage.ErrNoCustomer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			built := false
			_, err := f.db.DocumentInvoice(ctx, tt.sale, tt.customer, at, nil, func(int, int) ([]byte, error) {
				built = true
				return []byte("<x/>"), nil
			})
			if !errors.Is(err, tt.want) || built {
				t.Fatalf("err = %v (built %v), want %v", err, built, tt.want)
			}
		})
	}
	s, p := f.pending(t, at)
	if doc, err := f.invoice(s, p, at); err != nil || doc.Number != 2 {
		t.Fatalf("next invoice after refusals: %+v, %v; want number 2", doc, err)
	}
}

func TestSavedCustomersComeBackMostRecentlyUsedFirst(t *testing.T) {
	f := newInvoiceDB(t)
	ctx := context.Background()
	rossi, err := f.db.SaveCustomer(ctx, checkout.Customer{Name: "Mario", Surname: "Rossi", TaxCode: "RSSMRA80A01H501U",
		Address: "Via Verdi 3", CAP: "10121", City: "Torino", Province: "TO", RecipientCode: "0000000"})
	if err != nil || rossi.ID == "" {
		t.Fatalf("save: %+v %v", rossi, err)
	}
	names := func(list []checkout.Customer, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range list {
			out = append(out, c.DisplayName())
		}
		return strings.Join(out, ", ")
	}
	if got := names(f.db.Customers(ctx, 10)); got != "Mario Rossi, Studio Bianchi S.n.c." {
		t.Fatalf("after saving Rossi: %s", got)
	}
	at := time.Date(2026, 5, 4, 12, 0, 0, 0, time.Local)
	s, p := f.pending(t, at)
	if _, err := f.invoice(s, p, at); err != nil {
		t.Fatal(err)
	}
	if got := names(f.db.Customers(ctx, 10)); got != "Studio Bianchi S.n.c., Mario Rossi" {
		t.Fatalf("after invoicing Bianchi: %s", got)
	}
	if got := names(f.db.Customers(ctx, 1)); got != "Studio Bianchi S.n.c." {
		t.Fatalf("limit 1: %s", got)
	}

	rossi.City, rossi.CAP = "Milano", "20121"
	if _, err := f.db.SaveCustomer(ctx, rossi); err != nil {
		t.Fatal(err)
	}
	back, err := f.db.Customer(ctx, rossi.ID)
	if err != nil || back != rossi {
		t.Fatalf("Customer(%s) = %+v, %v; want %+v", rossi.ID, back, err, rossi)
	}
	if got := names(f.db.Customers(ctx, 10)); got != "Mario Rossi, Studio Bianchi S.n.c." {
		t.Fatalf("after updating Rossi: %s", got)
	}
	if _, err := f.db.Customer(ctx, "nobody"); !errors.Is(err, storage.ErrNoCustomer) {
		t.Fatalf("Customer(nobody) err = %v", err)
	}
}

func TestFindCustomersByPrefix(t *testing.T) {
	f := newInvoiceDB(t)
	ctx := context.Background()
	if _, err := f.db.SaveCustomer(ctx, checkout.Customer{Name: "Mario", Surname: "Rossi", TaxCode: "RSSMRA80A01H501U",
		Address: "Via Verdi 3", CAP: "10121", City: "Torino", Province: "TO", RecipientCode: "0000000"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ query, want string }{
		{"stud", "Studio Bianchi S.n.c."},
		{"ross", "Mario Rossi"},
		{"mario", "Mario Rossi"},
		{"123456", "Studio Bianchi S.n.c."},
		{"rssmra", "Mario Rossi"},
		{"bianchi", ""}, // a prefix, not a substring
		{"%", ""},       // a literal percent sign
		{"", "Mario Rossi, Studio Bianchi S.n.c."},
	}
	for _, tt := range tests {
		list, err := f.db.FindCustomers(ctx, tt.query)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range list {
			got = append(got, c.DisplayName())
		}
		if strings.Join(got, ", ") != tt.want {
			t.Errorf("FindCustomers(%q) = %v, want %s", tt.query, got, tt.want)
		}
	}
}
