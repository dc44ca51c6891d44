package tillsync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"modernc.org/sqlite"

	"till/app/catalogue"
	"till/app/checkout"
	"till/app/tillsync/cataloguedoc"
	"till/portal"
	"till/portal/portaltest"
	"till/storage"
)

// tillCommits counts the write transactions SQLite commits on each file this test binary
// opens, so a test can tell "nothing written" from "written the same again".
var tillCommits = struct {
	sync.Mutex
	byPath map[string]*atomic.Int64
}{byPath: map[string]*atomic.Int64{}}

func init() {
	sqlite.RegisterConnectionHook(func(conn sqlite.ExecQuerierContext, dsn string) error {
		hooks, ok := conn.(sqlite.HookRegisterer)
		if !ok {
			return nil
		}
		path, _, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
		n := commitCounter(path)
		hooks.RegisterCommitHook(func() int32 { n.Add(1); return 0 })
		return nil
	})
}

func commitCounter(path string) *atomic.Int64 {
	tillCommits.Lock()
	defer tillCommits.Unlock()
	n := tillCommits.byPath[path]
	if n == nil {
		n = new(atomic.Int64)
		tillCommits.byPath[path] = n
	}
	return n
}

// tillCatalogue is everything of the till's catalogue that a pull may change.
type tillCatalogue struct {
	Departments []checkout.Department
	Categories  []checkout.Category
	Products    []checkout.Product // active and not
	Meta        storage.CatalogueMeta
}

func readCatalogue(t testing.TB, db *storage.DB) tillCatalogue {
	t.Helper()
	ctx := context.Background()
	var c tillCatalogue
	var err1, err2, err3, err4 error
	c.Departments, err1 = db.Departments(ctx)
	c.Categories, err2 = db.Categories(ctx)
	c.Products, err3 = db.AllProducts(ctx)
	c.Meta, err4 = db.CatalogueMeta(ctx)
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		t.Fatal(err)
	}
	return c
}

func activeCodes(c tillCatalogue) map[string]checkout.Product {
	out := map[string]checkout.Product{}
	for _, p := range c.Products {
		if p.Active {
			out[p.Code] = p
		}
	}
	return out
}

func TestCataloguePullAppliesThenNotModifiedWritesNothing(t *testing.T) {
	p := portaltest.Start(t)
	b := openTill(t)
	ctx := context.Background()
	c := activated(t, b, p, p.URL, 0)
	local := readCatalogue(t, b.DB)
	// The portal has no catalogue yet: the till keeps its own and stays editable here.
	got, err := c.PullCatalogue(ctx)
	if err != nil || got.Changed || got.Managed || !reflect.DeepEqual(readCatalogue(t, b.DB), local) {
		t.Fatalf("pull without a portal catalogue: %+v, %v", got, err)
	}
	version := p.Catalogue(t, 30)
	commits := commitCounter(b.DB.Path())
	before := commits.Load()
	got, err = c.PullCatalogue(ctx)
	if commits.Load() == before {
		t.Fatal("applying a catalogue committed nothing: the commit counter does not see the till's database")
	}
	if err != nil || !got.Changed || !got.Managed || got.Version != version {
		t.Fatalf("first pull %+v, %v (portal version %d)", got, err, version)
	}
	after := readCatalogue(t, b.DB)
	active := activeCodes(after)
	if len(active) != 30 || len(after.Departments) != 4 || len(after.Categories) != 3 {
		t.Fatalf("applied: %d active products, %d departments, %d categories", len(active), len(after.Departments), len(after.Categories))
	}
	if p7 := active["P00007"]; p7.Price != 106 || len(p7.Barcodes) != 1 || p7.Barcodes[0] != portaltest.Barcode(7) {
		t.Fatalf("P00007 on the till: %+v", p7)
	}
	for _, old := range local.Products {
		if _, still := active[old.Code]; still {
			t.Errorf("the till's own product %s is still for sale under a portal catalogue", old.Code)
		}
	}
	if m := after.Meta; m.Source != catalogue.SourcePortal || m.Version != version || m.ETag != cataloguedoc.ETag(p.Demo.SalesPointID, version) {
		t.Fatalf("catalogue origin %+v", m)
	}
	// The same version again: 304, and the till's database commits nothing.
	before = commits.Load()
	again, err := c.PullCatalogue(ctx)
	if err != nil || again.Changed || !again.Managed || again.Version != version {
		t.Fatalf("second pull %+v, %v", again, err)
	}
	if n := commits.Load() - before; n != 0 {
		t.Fatalf("a 304 pull committed %d transactions on the till", n)
	}
	if !reflect.DeepEqual(readCatalogue(t, b.DB), after) {
		t.Fatal("a 304 pull changed the catalogue")
	}
	// The till keeps selling on it: a sale in a portal department is documented.
	sell(t, b, 2)
}

// catalogueFront is a real portal behind a front that can serve a catalogue of the test's
// making, cut an answer halfway, or answer as a portal older than catalogues.
type catalogueFront struct {
	portal  http.Handler
	mu      sync.Mutex
	serve   func(w http.ResponseWriter, r *http.Request) bool // true: answered
	srv     *httptest.Server
	catalog atomic.Int32 // catalogue calls seen
}

func startCatalogueFront(t *testing.T, p *portaltest.Portal) *catalogueFront {
	f := &catalogueFront{portal: portal.NewServer(p.Store)}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/catalogue" {
			f.catalog.Add(1)
			f.mu.Lock()
			serve := f.serve
			f.mu.Unlock()
			if serve != nil && serve(w, r) {
				return
			}
		}
		f.portal.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *catalogueFront) set(serve func(w http.ResponseWriter, r *http.Request) bool) {
	f.mu.Lock()
	f.serve = serve
	f.mu.Unlock()
}

// serveDocument makes the front answer every catalogue call with doc as JSON (raw when raw is
// not nil), with its own ETag.
func (f *catalogueFront) serveDocument(doc *cataloguedoc.Document, raw []byte) {
	f.set(func(w http.ResponseWriter, r *http.Request) bool {
		body := raw
		if body == nil {
			body, _ = json.Marshal(doc)
		}
		w.Header().Set("ETag", `"bad-`+strconv.Itoa(len(body))+`"`)
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
		return true
	})
}

// portalCatalogue is the document the portal serves now, to change for a bad one.
func portalCatalogue(t *testing.T, p *portaltest.Portal) *cataloguedoc.Document {
	t.Helper()
	doc, err := p.Store.CatalogueFor(context.Background(), p.Demo.SalesPointID)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestABadCatalogueIsRefusedWholeAndTheOldOneKept(t *testing.T) {
	p := portaltest.Start(t)
	f := startCatalogueFront(t, p)
	b := openTill(t)
	ctx := context.Background()
	c := activated(t, b, p, f.srv.URL, 0)
	version := p.Catalogue(t, 20)
	if _, err := c.PullCatalogue(ctx); err != nil {
		t.Fatal(err)
	}
	good := readCatalogue(t, b.DB)
	bad := []struct {
		name  string
		edit  func(d *cataloguedoc.Document)
		raw   string
		shows string
	}{
		{"unknown department number", func(d *cataloguedoc.Document) { d.Products[3].Department = 9 }, "", "products[3].department"},
		{"barcode with a wrong check digit", func(d *cataloguedoc.Document) { d.Products[4].Barcodes = []string{"8000000000018"} }, "", "products[4].barcode"},
		{"barcode too short", func(d *cataloguedoc.Document) { d.Products[4].Barcodes = []string{"1234"} }, "", "products[4].barcode"},
		{"duplicate code", func(d *cataloguedoc.Document) { d.Products[5].Code = "p00001" }, "", "products[5].code"},
		{"duplicate barcode", func(d *cataloguedoc.Document) { d.Products[6].Barcodes = d.Products[0].Barcodes }, "", "products[6].barcode"},
		{"negative price", func(d *cataloguedoc.Document) { d.Products[7].PriceCents = -120 }, "", "products[7].price"},
		{"zero price", func(d *cataloguedoc.Document) { d.Products[7].PriceCents = 0 }, "", "products[7].price"},
		{"empty name", func(d *cataloguedoc.Document) { d.Products[8].Name = " " }, "", "products[8].name"},
		{"unknown category", func(d *cataloguedoc.Document) { d.Products[9].Category = "Nessuna" }, "", "products[9].category"},
		{"department without a nature at 0%", func(d *cataloguedoc.Document) { d.Departments[0].VATRate = 0 }, "", "departments[0].nature"},
		{"department number twice", func(d *cataloguedoc.Document) { d.Departments[1].Number = 1 }, "", "departments[1].number"},
		{"no department", func(d *cataloguedoc.Document) { d.Departments, d.Products = nil, nil }, "", "departments"},
		{"another format", func(d *cataloguedoc.Document) { d.Format = 2 }, "", "format"},
		{"no version", func(d *cataloguedoc.Document) { d.Version = 0 }, "", "version"},
		{"not JSON", nil, "<html>proxy error</html>", "JSON"},
		{"cut JSON", nil, `{"format": 1, "version": 99, "departments": [{"number": 1`, "JSON"},
	}
	commits := commitCounter(b.DB.Path())
	for _, tt := range bad {
		doc := portalCatalogue(t, p)
		doc.Version = version + 1
		var raw []byte
		if tt.edit != nil {
			tt.edit(doc)
		} else {
			raw = []byte(tt.raw)
		}
		f.serveDocument(doc, raw)
		before := commits.Load()
		got, err := c.PullCatalogue(ctx)
		if err == nil || KindOf(err) != KindServer || !errors.Is(err, cataloguedoc.ErrInvalid) || !strings.Contains(err.Error(), tt.shows) {
			t.Errorf("%s: pull %+v, error %v; want a server error naming %q", tt.name, got, err, tt.shows)
		}
		if n := commits.Load() - before; n != 0 {
			t.Errorf("%s: %d transactions committed", tt.name, n)
		}
		if !reflect.DeepEqual(readCatalogue(t, b.DB), good) {
			t.Fatalf("%s: the refused catalogue changed the till's", tt.name)
		}
	}
	// The syncer reports it like a bad configuration and keeps pushing the sales.
	sell(t, b, 3)
	s := NewSyncer(c, Options{Poll: 10 * time.Millisecond, Backoff: Backoff{Min: 10 * time.Millisecond, Max: 20 * time.Millisecond}})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- s.Run(runCtx) }()
	waitFor(t, "the refusal in the state and the sales sent", 10*time.Second, func() bool {
		st := s.State()
		return st.ErrorKind == KindServer && strings.Contains(errorText(st.LastError), "pull catalogue") && st.Pending == 0 &&
			st.CatalogueManaged && st.CatalogueVersion == version
	})
	cancel()
	<-done
	if saved, _ := b.DB.LoadSyncState(ctx); !strings.Contains(saved.LastError, "pull catalogue") {
		t.Fatalf("sync_state.last_error %q", saved.LastError)
	}
	if got := received(t, p, c.tillID(t)); got != 3 {
		t.Fatalf("portal holds %d sales, want 3", got)
	}
	// Once the portal serves a good one again, it applies.
	f.set(nil)
	if err := p.Store.SetProductActive(ctx, p.Demo.AccountID, p.Demo.SalesPointID, productID(t, p, "P00002"), false); err != nil {
		t.Fatal(err)
	}
	got, err := c.PullCatalogue(ctx)
	if err != nil || !got.Changed || got.Version != version+1 {
		t.Fatalf("good catalogue after the bad ones: %+v, %v", got, err)
	}
	if _, still := activeCodes(readCatalogue(t, b.DB))["P00002"]; still {
		t.Fatal("a product deactivated in the portal is still for sale")
	}
}

func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func productID(t *testing.T, p *portaltest.Portal, code string) string {
	t.Helper()
	page, err := p.Store.SearchProducts(context.Background(), p.Demo.AccountID, p.Demo.SalesPointID, code, 1)
	if err != nil || len(page.Products) != 1 {
		t.Fatalf("product %s: %v", code, err)
	}
	return page.Products[0].ID
}

// TestPortalGoneMidCatalogueKeepsTheOldOne cuts the catalogue answer halfway, as when the
// portal dies while sending it: the till keeps the catalogue it had, then takes the new one
// when the portal answers whole.
func TestPortalGoneMidCatalogueKeepsTheOldOne(t *testing.T) {
	p := portaltest.Start(t)
	f := startCatalogueFront(t, p)
	b := openTill(t)
	ctx := context.Background()
	c := activated(t, b, p, f.srv.URL, 0)
	p.Catalogue(t, 2000)
	if _, err := c.PullCatalogue(ctx); err != nil {
		t.Fatal(err)
	}
	old := readCatalogue(t, b.DB)
	rows := portaltest.Rows(2000)
	for i := range rows {
		rows[i].Price += 1000
	}
	if _, err := p.Store.ImportCatalogue(ctx, p.Demo.AccountID, p.Demo.SalesPointID, rows, true); err != nil {
		t.Fatal(err)
	}
	for _, packed := range []bool{true, false} {
		f.set(func(w http.ResponseWriter, r *http.Request) bool {
			if !packed {
				r.Header.Del("Accept-Encoding")
			}
			rec := httptest.NewRecorder()
			f.portal.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(rec.Code)
			w.Write(body[:len(body)/2])
			w.(http.Flusher).Flush()
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
			return true
		})
		got, err := c.PullCatalogue(ctx)
		if !errors.Is(err, ErrUnreachable) {
			t.Fatalf("gzip %v: pull cut halfway: %+v, %v", packed, got, err)
		}
		if !reflect.DeepEqual(readCatalogue(t, b.DB), old) {
			t.Fatalf("gzip %v: the cut answer changed the catalogue", packed)
		}
	}
	f.set(nil)
	got, err := c.PullCatalogue(ctx)
	if err != nil || !got.Changed {
		t.Fatalf("pull after the portal is back: %+v, %v", got, err)
	}
	if p1 := activeCodes(readCatalogue(t, b.DB))["P00001"]; p1.Price != 1100 {
		t.Fatalf("P00001 costs %v after the new catalogue", p1.Price)
	}
}

// TestAPortalWithoutCataloguesLeavesTheTillsOwn is a portal older than catalogues: its 404
// changes nothing and is not an error.
func TestAPortalWithoutCataloguesLeavesTheTillsOwn(t *testing.T) {
	p := portaltest.Start(t)
	f := startCatalogueFront(t, p)
	b := openTill(t)
	c := activated(t, b, p, f.srv.URL, 0)
	f.set(func(w http.ResponseWriter, r *http.Request) bool {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"error": "not_found", "message": "no such API call: GET /api/v1/catalogue"}`))
		return true
	})
	before := readCatalogue(t, b.DB)
	got, err := c.PullCatalogue(context.Background())
	if err != nil || got.Changed || got.Managed || !reflect.DeepEqual(readCatalogue(t, b.DB), before) {
		t.Fatalf("pull from an older portal: %+v, %v", got, err)
	}
	f.set(func(w http.ResponseWriter, r *http.Request) bool {
		w.WriteHeader(http.StatusInternalServerError)
		return true
	})
	if _, err := c.PullCatalogue(context.Background()); KindOf(err) != KindServer {
		t.Fatalf("a 500: %v", err)
	}
}

func TestSyncerPullsTheCatalogueWithTheConfiguration(t *testing.T) {
	p := portaltest.Start(t)
	b := openTill(t)
	c := activated(t, b, p, p.URL, 0)
	first := p.Catalogue(t, 10)
	got := make(chan int64, 4)
	s := NewSyncer(c, Options{PullEvery: 30 * time.Millisecond, Poll: 10 * time.Millisecond, OnCatalogue: func(v int64) { got <- v }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	defer func() { cancel(); <-done }()
	select {
	case v := <-got:
		if v != first {
			t.Fatalf("OnCatalogue(%d), want %d", v, first)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the catalogue never came")
	}
	if st := s.State(); !st.CatalogueManaged || st.CatalogueVersion != first || st.ConfigVersion == 0 {
		t.Fatalf("state %+v", st)
	}
	if err := p.Store.SetProductActive(ctx, p.Demo.AccountID, p.Demo.SalesPointID, productID(t, p, "P00003"), false); err != nil {
		t.Fatal(err)
	}
	select {
	case v := <-got:
		if v != first+1 {
			t.Fatalf("OnCatalogue(%d) after a change, want %d", v, first+1)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the changed catalogue never came")
	}
	waitFor(t, "the state to show the new version", 5*time.Second, func() bool { return s.State().CatalogueVersion == first+1 })
}

// TestABigCatalogueFromPortalToTill pushes a catalogue of bigCatalogue products (50,000
// without -race) from the portal (imported as its CSV file is) through a real portal server to
// a real till database, and logs the times: the transfer, the apply, the 304 of the next pull.
func TestABigCatalogueFromPortalToTill(t *testing.T) {
	if testing.Short() {
		t.Skip("a big catalogue")
	}
	const n = bigCatalogue
	p := portaltest.Start(t)
	b := openTill(t)
	ctx := context.Background()
	c := activated(t, b, p, p.URL, 0)
	start := time.Now()
	version := p.Catalogue(t, n)
	stored := time.Since(start)
	// The transfer alone, as the client makes it (gzip), and the till's parse and check.
	st, _ := b.DB.LoadSyncState(ctx)
	start = time.Now()
	req, _ := http.NewRequest(http.MethodGet, p.URL+"/api/v1/catalogue", nil)
	req.Header.Set("Authorization", "Bearer "+st.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	transfer := time.Since(start)
	start = time.Now()
	if _, err := cataloguedoc.Parse(body); err != nil {
		t.Fatal(err)
	}
	parse := time.Since(start)
	start = time.Now()
	got, err := c.PullCatalogue(ctx)
	applied := time.Since(start)
	if err != nil || !got.Changed || got.Version != version {
		t.Fatalf("pull: %+v, %v", got, err)
	}
	start = time.Now()
	again, err := c.PullCatalogue(ctx)
	notModified := time.Since(start)
	if err != nil || again.Changed {
		t.Fatalf("second pull: %+v, %v", again, err)
	}
	products, err := b.DB.Products(ctx)
	if err != nil || len(products) != n {
		t.Fatalf("the till sells %d products (%v), want %d", len(products), err, n)
	}
	index := catalogue.NewIndex(products)
	if i, ok := index.ByBarcode(portaltest.Barcode(n - 7)); !ok || index.At(i).Code != fmt.Sprintf("P%05d", n-7) {
		t.Fatal("the till cannot find a product of the new catalogue by its barcode")
	}
	t.Logf("%d products: stored in the portal in %v; transfer alone (gzip over loopback, %d KB unpacked) %v, parse and check %v; "+
		"pull, parse and apply on the till %v; next pull (304) %v", n, stored.Round(time.Millisecond), len(body)>>10,
		transfer.Round(time.Millisecond), parse.Round(time.Millisecond), applied.Round(time.Millisecond), notModified.Round(time.Millisecond))
}
