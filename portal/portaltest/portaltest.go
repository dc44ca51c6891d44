// Package portaltest starts a real back office for other packages' tests: the portal's HTTP
// server on 127.0.0.1 with a temporary SQLite file, seeded with a demo account whose two tills
// have activation codes. Nothing is mocked; the till's sync client talks to the real thing.
package portaltest

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"till/app/catalogue"
	"till/app/checkout"
	"till/money"
	"till/portal"
)

// Portal is a running back office.
type Portal struct {
	URL   string          // base URL, e.g. http://127.0.0.1:41234
	Store *portal.Store   // to change settings (and bump the version) or inspect stored sales
	Demo  portal.DemoInfo // the seeded account, sales point, tills with codes, terminal
	srv   *httptest.Server
}

// Start runs a seeded portal until the test ends.
func Start(tb testing.TB) *Portal {
	tb.Helper()
	ctx := context.Background()
	store, err := portal.Open(ctx, filepath.Join(tb.TempDir(), "portal.db"))
	if err != nil {
		tb.Fatalf("open portal store: %v", err)
	}
	demo, err := portal.SeedDemo(ctx, store)
	if err != nil {
		store.Close()
		tb.Fatalf("seed portal: %v", err)
	}
	srv := httptest.NewServer(portal.NewServer(store))
	tb.Cleanup(func() {
		srv.Close()
		store.Close()
	})
	return &Portal{URL: srv.URL, Store: store, Demo: demo, srv: srv}
}

// Stop closes the server before the test ends, to test a till going offline. The store stays
// open until cleanup.
func (p *Portal) Stop() { p.srv.Close() }

// Activate spends the activation code of demo till i (0 or 1) and returns the device token,
// for tests that want an activated till without going through the till's own client.
func (p *Portal) Activate(tb testing.TB, i int) portal.Activation {
	tb.Helper()
	a, err := p.Store.Activate(context.Background(), p.Demo.Tills[i].ActivationCode)
	if err != nil {
		tb.Fatalf("activate demo till %d: %v", i, err)
	}
	return a
}

// Catalogue gives the demo sales point a back office catalogue: the till's demo departments
// (1 Bar 22%, 2 Cucina 10%, 3 Alimentari 4%, 4 N1), and n products P00001… in departments 1
// and 2 and the categories Bevande, Dolci, Varie, each with an EAN-13 (Barcode(i)). It returns
// the catalogue version, which the tills' ETag then carries.
func (p *Portal) Catalogue(tb testing.TB, n int) int64 {
	tb.Helper()
	ctx := context.Background()
	for _, d := range []checkout.Department{{Number: 1, Name: "Bar", VATRate: 2200}, {Number: 2, Name: "Cucina", VATRate: 1000},
		{Number: 3, Name: "Alimentari", VATRate: 400}, {Number: 4, Name: "Escluso art. 15", Nature: "N1"}} {
		if _, err := p.Store.SaveDepartment(ctx, p.Demo.AccountID, p.Demo.SalesPointID, d); err != nil {
			tb.Fatalf("demo catalogue: %v", err)
		}
	}
	if n > 0 {
		if _, err := p.Store.ImportCatalogue(ctx, p.Demo.AccountID, p.Demo.SalesPointID, Rows(n), true); err != nil {
			tb.Fatalf("demo catalogue: %v", err)
		}
	}
	info, err := p.Store.CatalogueInfo(ctx, p.Demo.AccountID, p.Demo.SalesPointID)
	if err != nil {
		tb.Fatalf("demo catalogue: %v", err)
	}
	return info.CatalogueVersion
}

// Rows are n catalogue file rows P00001…, as Catalogue imports them.
func Rows(n int) []catalogue.Row {
	out := make([]catalogue.Row, n)
	for i := range out {
		out[i] = catalogue.Row{Line: i + 2, Code: fmt.Sprintf("P%05d", i+1), Barcodes: []string{Barcode(i + 1)},
			Name: fmt.Sprintf("Prodotto %d", i+1), Price: money.Cents(100 + i%5000), Department: 1 + i%2,
			Category: []string{"Bevande", "Dolci", "Varie"}[i%3]}
	}
	return out
}

// Barcode is a valid EAN-13 for n: the prefix 800 (Italy), n in nine digits, the check digit.
func Barcode(n int) string {
	body := fmt.Sprintf("800%09d", n)
	sum := 0
	for i := range 12 {
		d := int(body[i] - '0')
		if i%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return body + fmt.Sprint((10-sum%10)%10)
}
