package portal_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"till/portal"
)

// testClock is a store clock the test moves by hand. It starts at the real time, which the
// portal checks the time of a pushed sale against.
type testClock struct{ ns atomic.Int64 }

func newTestClock() *testClock {
	c := &testClock{}
	c.ns.Store(time.Now().Truncate(time.Second).UnixNano())
	return c
}

func (c *testClock) now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *testClock) advance(d time.Duration) { c.ns.Add(int64(d)) }

// servePortal serves a store on loopback with the store's clock set before the first request.
func servePortal(t *testing.T, store *portal.Store, pg bool, clock *testClock) *testPortal {
	t.Helper()
	store.SetClock(clock.now)
	srv := httptest.NewServer(portal.NewServer(store))
	t.Cleanup(func() {
		srv.Close()
		store.Close()
	})
	return &testPortal{URL: srv.URL, Store: store, pg: pg}
}

func TestConfigPullsOnSQLite(t *testing.T) {
	for _, tt := range configPullTests {
		t.Run(tt.name, func(t *testing.T) {
			store, err := portal.Open(context.Background(), filepath.Join(t.TempDir(), "portal.db"))
			if err != nil {
				t.Fatal(err)
			}
			clock := newTestClock()
			tt.fn(t, servePortal(t, store, false, clock), clock)
		})
	}
}

func TestConfigPullsOnPostgres(t *testing.T) {
	pg := startPostgres(t)
	admin, err := sql.Open("pgx", pg.dsn("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	n := 0
	for _, tt := range configPullTests {
		t.Run(tt.name, func(t *testing.T) {
			n++
			db := fmt.Sprintf("pulls_%d", n)
			if _, err := admin.Exec("CREATE DATABASE " + db); err != nil {
				t.Fatal(err)
			}
			store, err := portal.Open(context.Background(), pg.dsn(db))
			if err != nil {
				t.Fatal(err)
			}
			clock := newTestClock()
			tt.fn(t, servePortal(t, store, true, clock), clock)
		})
	}
}

var configPullTests = []struct {
	name string
	fn   func(*testing.T, *testPortal, *testClock)
}{
	{"NotModifiedWritesNothing", testConfigNotModifiedWritesNothing},
	{"NotModifiedRecordsAVersionNewToThePortal", testConfigNotModifiedRecordsAVersionNewToThePortal},
	{"ETagOfBothAnswersAgree", testConfigETagOfBothAnswersAgree},
	{"PushRecordsContactPollDoesNot", testPushRecordsContactPollDoesNot},
}

// tillRow is what the portal keeps about a till's syncing, and a marker that changes with
// every write of the row (PostgreSQL's xmin; SQLite has none, the commit count stands in).
type tillRow struct {
	lastSync string
	pending  int64
	version  int64
	marker   string
}

func (p *testPortal) tillRow(t *testing.T, tillID string) tillRow {
	t.Helper()
	var r tillRow
	marker := "''"
	if p.pg {
		marker = "xmin::text"
	}
	err := p.Store.SQL().QueryRow(p.sql("SELECT COALESCE(last_sync_at, ''), COALESCE(pending_reported, -1), config_version_seen, "+
		marker+" FROM tills WHERE id = ?"), tillID).Scan(&r.lastSync, &r.pending, &r.version, &r.marker)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// writes is a number that grows with every write the store commits: the SQLite commit count,
// or on PostgreSQL the xmin of every row a pull could write (the till's and its sales point's).
func (p *testPortal) writes(t *testing.T, tillID, salesPointID string) string {
	t.Helper()
	if !p.pg {
		return fmt.Sprint(commits(p.Store.Path()))
	}
	var a, b string
	if err := p.Store.SQL().QueryRow("SELECT xmin::text FROM tills WHERE id = $1", tillID).Scan(&a); err != nil {
		t.Fatal(err)
	}
	if err := p.Store.SQL().QueryRow("SELECT xmin::text FROM sales_points WHERE id = $1", salesPointID).Scan(&b); err != nil {
		t.Fatal(err)
	}
	return a + "/" + b
}

// pullConfig is a till's pull as app/tillsync makes it: its outbox count, and the ETag it holds.
func (p *testPortal) pullConfig(t *testing.T, token, etag string, pending int) (int, string) {
	t.Helper()
	header := []string{portal.PendingHeader, fmt.Sprint(pending)}
	if etag != "" {
		header = append(header, "If-None-Match", etag)
	}
	st, h, body := p.raw(t, "GET", "/api/v1/config", token, nil, header...)
	if st != 200 && st != 304 {
		t.Fatalf("pull: %d %s", st, body)
	}
	return st, h.Get("ETag")
}

// A till polling a configuration it holds gets 304 and the store commits nothing: neither the
// document nor the till's bookkeeping is written, and the till's row stays as it was.
func testConfigNotModifiedWritesNothing(t *testing.T, p *testPortal, clock *testClock) {
	demo := p.seed(t)
	token := p.activate(t, demo.Tills[0].ActivationCode)
	st, etag := p.pullConfig(t, token, "", 0)
	if st != 200 || etag == "" {
		t.Fatalf("first pull: %d, ETag %q", st, etag)
	}
	before, writes := p.tillRow(t, demo.Tills[0].ID), p.writes(t, demo.Tills[0].ID, demo.SalesPointID)
	for range 20 {
		clock.advance(5 * time.Minute)
		if st, got := p.pullConfig(t, token, etag, 0); st != 304 || got != etag {
			t.Fatalf("poll: status %d ETag %q, want 304 with %q", st, got, etag)
		}
	}
	if after := p.writes(t, demo.Tills[0].ID, demo.SalesPointID); after != writes {
		t.Fatalf("20 pulls answered 304 wrote: %s before, %s after", writes, after)
	}
	if after := p.tillRow(t, demo.Tills[0].ID); after != before {
		t.Fatalf("till row changed by 304s: %+v, was %+v", after, before)
	}
}

// A 304 to a till whose version the portal has not recorded (it was recorded before a restore,
// or the 200 that carried it was answered by an older portal) records it, once.
func testConfigNotModifiedRecordsAVersionNewToThePortal(t *testing.T, p *testPortal, clock *testClock) {
	demo := p.seed(t)
	token := p.activate(t, demo.Tills[0].ActivationCode)
	_, etag := p.pullConfig(t, token, "", 0)
	held := p.tillRow(t, demo.Tills[0].ID).version
	if _, err := p.Store.SQL().Exec(p.sql("UPDATE tills SET config_version_seen = 0 WHERE id = ?"), demo.Tills[0].ID); err != nil {
		t.Fatal(err)
	}
	clock.advance(time.Minute)
	if st, _ := p.pullConfig(t, token, etag, 0); st != 304 {
		t.Fatalf("status %d, want 304", st)
	}
	row := p.tillRow(t, demo.Tills[0].ID)
	if row.version != held || row.lastSync != clock.now().Format(time.RFC3339Nano) {
		t.Fatalf("after a 304 of a version new to the portal: %+v, want version %d at %s", row, held, clock.now())
	}
	writes := p.writes(t, demo.Tills[0].ID, demo.SalesPointID)
	if st, _ := p.pullConfig(t, token, etag, 0); st != 304 || p.writes(t, demo.Tills[0].ID, demo.SalesPointID) != writes {
		t.Fatalf("second 304: status %d, or it wrote again", st)
	}
}

// The 304 path reads the version without building the document; the ETag it compares and
// sends is the one a 200 sends with the document, in every state the document goes through.
func testConfigETagOfBothAnswersAgree(t *testing.T, p *testPortal, _ *testClock) {
	ctx := context.Background()
	demo := p.seed(t)
	token := p.activate(t, demo.Tills[0].ActivationCode)
	changes := []func() error{
		func() error { return nil },
		func() error { return p.Store.SetMerchantID(ctx, demo.AccountID, demo.SalesPointID, "CFX-NEW") },
		func() error { return p.Store.SetCoverflexEnabled(ctx, demo.AccountID, false) },
		func() error { return p.Store.SetVisible(ctx, demo.AccountID, demo.SalesPointID, false) },
		func() error {
			_, err := p.Store.CreateTill(ctx, demo.AccountID, demo.SalesPointID, "Cassa 3")
			return err
		},
	}
	previous := ""
	for i, change := range changes {
		if err := change(); err != nil {
			t.Fatalf("change %d: %v", i, err)
		}
		var doc portal.ConfigDoc
		st, h, _ := p.raw(t, "GET", "/api/v1/config", token, nil)
		if st != 200 || p.call(t, "GET", "/api/v1/config", token, nil, &doc) != 200 {
			t.Fatalf("change %d: status %d", i, st)
		}
		etag := h.Get("ETag")
		if etag != fmt.Sprintf(`"%d"`, doc.Version) {
			t.Fatalf("change %d: ETag %s for a document of version %d", i, etag, doc.Version)
		}
		for _, inm := range []string{etag, "W/" + etag, `"0", ` + etag} {
			if st, got := p.pullConfig(t, token, inm, 0); st != 304 || got != etag {
				t.Fatalf("change %d, If-None-Match %s: status %d ETag %s, want 304 with %s", i, inm, st, got, etag)
			}
		}
		if previous != "" {
			if st, got := p.pullConfig(t, token, previous, 0); st != 200 || got != etag {
				t.Fatalf("change %d, the previous ETag %s: status %d ETag %s, want 200 with %s", i, previous, st, got, etag)
			}
		}
		previous = etag
	}
}

// Contact is recorded by what a till pushes, not by its polls: sales waiting (a push) and a
// changed pending count write the time; an idle poll leaves the last contact where it was.
func testPushRecordsContactPollDoesNot(t *testing.T, p *testPortal, clock *testClock) {
	demo := p.seed(t)
	till := demo.Tills[0].ID
	token := p.activate(t, demo.Tills[0].ActivationCode)
	_, etag := p.pullConfig(t, token, "", 0)
	first := p.tillRow(t, till)

	clock.advance(time.Minute)
	pushed := clock.now().Format(time.RFC3339Nano)
	var out map[string]any
	before := commits(p.Store.Path())
	if st := p.call(t, "POST", "/api/v1/sales", token, map[string]any{"sales": []any{sale(till, 150)}}, &out, portal.PendingHeader, "1"); st != 200 {
		t.Fatalf("push: %d %v", st, out)
	}
	if n := commits(p.Store.Path()) - before; !p.pg && n != 1 {
		t.Fatalf("a push committed %d transactions: the contact must go with the sales", n)
	}
	if row := p.tillRow(t, till); row.lastSync != pushed || row.pending != 1 {
		t.Fatalf("after a push: %+v, want contact at %s and 1 pending (was %+v)", row, pushed, first)
	}
	clock.advance(time.Minute)
	emptied := clock.now().Format(time.RFC3339Nano)
	if st, _ := p.pullConfig(t, token, etag, 0); st != 304 {
		t.Fatalf("poll after the push: %d", st)
	}
	if row := p.tillRow(t, till); row.lastSync != emptied || row.pending != 0 {
		t.Fatalf("a poll telling the outbox emptied: %+v, want contact at %s and 0 pending", row, emptied)
	}
	clock.advance(time.Minute)
	if st, _ := p.pullConfig(t, token, etag, 0); st != 304 {
		t.Fatalf("idle poll: %d", st)
	}
	if row := p.tillRow(t, till); row.lastSync != emptied {
		t.Fatalf("an idle poll moved the last contact to %s", row.lastSync)
	}
}
