// Package portaltest starts a real back office for other packages' tests: the portal's HTTP
// server on 127.0.0.1 with a temporary SQLite file, seeded with a demo account whose two tills
// have activation codes. Nothing is mocked; the till's sync client talks to the real thing.
package portaltest

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"

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
