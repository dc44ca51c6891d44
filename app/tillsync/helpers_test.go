package tillsync

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"till/app/boot"
	"till/app/checkout"
	"till/money"
	"till/portal"
	"till/portal/portaltest"
	"till/storage"
)

// front serves a real portal's handler on a 127.0.0.1 port of its own that survives Down and
// Up, so the till keeps the same portal URL while the portal goes away and comes back.
type front struct {
	tb      testing.TB
	handler http.Handler
	addr    string
	srv     *http.Server
	// dropSales > 0: the next POST /api/v1/sales is served by the portal (which stores the
	// batch) but the connection is closed before the answer, as when the portal dies mid-batch.
	dropSales atomic.Int32
}

func startFront(tb testing.TB, p *portaltest.Portal) *front {
	f := &front{tb: tb, handler: portal.NewServer(p.Store)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	f.addr = ln.Addr().String()
	f.serve(ln)
	tb.Cleanup(f.Down)
	return f
}

func (f *front) URL() string { return "http://" + f.addr }

func (f *front) serve(ln net.Listener) {
	f.srv = &http.Server{Handler: http.HandlerFunc(f.serveHTTP)}
	go f.srv.Serve(ln)
}

func (f *front) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && r.URL.Path == "/api/v1/sales" && f.dropSales.Add(-1) >= 0 {
		rec := httptest.NewRecorder()
		f.handler.ServeHTTP(rec, r)
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	}
	f.handler.ServeHTTP(w, r)
}

// Down closes the port: calls get "connection refused".
func (f *front) Down() {
	if f.srv != nil {
		f.srv.Close()
		f.srv = nil
	}
}

// Up listens again on the same port.
func (f *front) Up() {
	var ln net.Listener
	var err error
	for range 50 { // the closed port may take a moment to be free again
		if ln, err = net.Listen("tcp", f.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		f.tb.Fatalf("listen again on %s: %v", f.addr, err)
	}
	f.serve(ln)
}

// openTill opens a till database with the demo catalogue and printer, as the app does.
func openTill(tb testing.TB) *boot.Till {
	tb.Helper()
	b, err := boot.Open(context.Background(), filepath.Join(tb.TempDir(), "till.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { b.Close() })
	return b
}

// sell documents n cash sales through the checkout, which queues each in the outbox in the
// sale's own transaction.
func sell(tb testing.TB, b *boot.Till, n int) {
	tb.Helper()
	ctx := context.Background()
	deps, err := b.DB.Departments(ctx)
	if err != nil || len(deps) == 0 {
		tb.Fatalf("departments: %v", err)
	}
	for i := range n {
		r := checkout.NewRegister(storage.NewID, time.Now)
		r.Digit("250")
		if err := r.Department(deps[i%len(deps)]); err != nil {
			tb.Fatal(err)
		}
		if _, err := b.Checkout.PayCash(ctx, r.Sale(), money.Cents(250)); err != nil {
			tb.Fatalf("sale %d: %v", i, err)
		}
	}
}

// template is the outbox row of one real documented sale, to copy.
func template(tb testing.TB, db *storage.DB) storage.OutboxItem {
	tb.Helper()
	items, err := db.OutboxBatch(context.Background(), "sale", 1)
	if err != nil || len(items) != 1 {
		tb.Fatalf("need one real sale in the outbox to copy: %v", err)
	}
	return items[0]
}

// queueCopies puts n copies of a real outbox row in the outbox, each with a new sale id,
// directly in SQL: for sizes where documenting every sale through the printer would take long.
func queueCopies(tb testing.TB, db *storage.DB, tmpl storage.OutboxItem, n int) {
	tb.Helper()
	ctx := context.Background()
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO outbox(id, kind, ref_id, payload, created_at) VALUES (?,?,?,?,?)`)
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Now().UTC().Format(time.RFC3339Nano)
	for range n {
		id := storage.NewID()
		payload := strings.Replace(string(tmpl.Payload), tmpl.RefID, id, 1)
		if _, err := stmt.ExecContext(ctx, storage.NewID(), "sale", id, payload, now); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

// activated returns a client for a till activated on p through front (or p itself).
func activated(tb testing.TB, b *boot.Till, p *portaltest.Portal, url string, i int) *Client {
	tb.Helper()
	c := &Client{DB: b.DB}
	if _, err := c.Activate(context.Background(), url, p.Demo.Tills[i].ActivationCode); err != nil {
		tb.Fatalf("activate: %v", err)
	}
	return c
}

func outboxCount(tb testing.TB, db *storage.DB) int {
	tb.Helper()
	n, err := db.OutboxCount(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

func received(tb testing.TB, p *portaltest.Portal, tillID string) int64 {
	tb.Helper()
	st, err := p.Store.Status(context.Background(), portal.TillIdentity{TillID: tillID, SalesPointID: p.Demo.SalesPointID, AccountID: p.Demo.AccountID})
	if err != nil {
		tb.Fatal(err)
	}
	return st.SalesReceived
}
