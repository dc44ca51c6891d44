package portal_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"till/portal"
)

// starter serves a fresh, empty portal on one of the two stores with the given options.
type starter func(t testing.TB, opts ...portal.Option) *testPortal

func startSQLite(t testing.TB, opts ...portal.Option) *testPortal {
	t.Helper()
	store, err := portal.Open(context.Background(), filepath.Join(t.TempDir(), "portal.db"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(portal.NewServer(store, opts...))
	t.Cleanup(func() {
		srv.Close()
		store.Close()
	})
	return &testPortal{URL: srv.URL, Store: store}
}

// start is startSQLite on a new database of the PostgreSQL server.
func (s *pgServer) start(t testing.TB, opts ...portal.Option) *testPortal {
	t.Helper()
	s.n++
	name := fmt.Sprintf("hardening_%d", s.n)
	admin, err := sql.Open("pgx", s.dsn("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = admin.Exec("CREATE DATABASE " + name)
	admin.Close()
	if err != nil {
		t.Fatal(err)
	}
	store, err := portal.Open(context.Background(), s.dsn(name))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(portal.NewServer(store, opts...))
	t.Cleanup(func() {
		srv.Close()
		store.Close()
	})
	return &testPortal{URL: srv.URL, Store: store, pg: true}
}

// hardeningTests are the back office's defences, each run on SQLite (TestHardening) and on
// PostgreSQL (TestPostgresHardening).
var hardeningTests = []struct {
	name string
	fn   func(*testing.T, starter)
}{
	{"LoginFloodIsThrottledBeforeThePassword", testLoginFloodIsThrottled},
	{"LoginWaitsGrow", testLoginWaitsGrow},
	{"ParallelLoginFloodIsThrottled", testParallelLoginFlood},
	{"LoginThrottledPerAddressAndPerAccount", testLoginThrottlePerAddressAndAccount},
	{"ForwardedForIgnoredWithoutTrustedProxy", testForwardedForIgnoredWithoutTrustedProxy},
	{"SecureCookiesBehindTrustedProxy", testSecureCookiesBehindTrustedProxy},
	{"LogoutEverywhere", testLogoutEverywhere},
	{"StaticHasNoListing", testStaticHasNoListing},
	{"BadTextInNamesIs400", testBadTextInNames},
	{"SaleIngestRules", testSaleIngestRules},
	{"RealTillSaleShapesAccepted", testRealTillSaleShapesAccepted},
	{"SaleIDsAreCaseInsensitive", testSaleIDsAreCaseInsensitive},
	{"SameIDOtherContentIsConflict", testSameIDOtherContentIsConflict},
	{"ReportSumsCannotOverflow", testReportSumsCannotOverflow},
}

func TestHardening(t *testing.T) {
	for _, tt := range hardeningTests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, startSQLite) })
	}
}

func TestPostgresHardening(t *testing.T) {
	pg := startPostgres(t)
	for _, tt := range hardeningTests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, pg.start) })
	}
}

// fakeClock is the throttle's clock in tests: time moves only when the test says so.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func loopbackProxy() portal.Option {
	return portal.TrustedProxies(netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128"))
}

func noRedirects(c *http.Client) *http.Client {
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

func testSecureCookiesBehindTrustedProxy(t *testing.T, start starter) {
	direct, proxied := start(t), start(t, loopbackProxy())
	tests := []struct {
		name   string
		p      *testPortal
		header map[string]string
		secure bool
	}{
		{"plain HTTP, no proxy named", direct, nil, false},
		{"a client claiming HTTPS is not believed", direct, map[string]string{"X-Forwarded-Proto": "https"}, false},
		{"through the named proxy", proxied, nil, true},
		{"through the named proxy, HTTPS said", proxied, map[string]string{"X-Forwarded-Proto": "https"}, true},
		{"through the named proxy, plain HTTP said", proxied, map[string]string{"X-Forwarded-Proto": "http"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			demo := tt.p.seed(t)
			b := tt.p.newBrowser(t)
			form := url.Values{"email": {demo.Email}, "password": {demo.Password}, "csrf": {b.csrf}}
			req, _ := http.NewRequest("POST", tt.p.URL+"/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			resp, err := noRedirects(&http.Client{Jar: b.c.Jar}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			var session *http.Cookie
			for _, c := range resp.Cookies() {
				if c.Name == "portal_session" {
					session = c
				}
			}
			if resp.StatusCode != http.StatusSeeOther || session == nil {
				t.Fatalf("login: %d, cookies %v", resp.StatusCode, resp.Cookies())
			}
			if session.Secure != tt.secure || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode {
				t.Fatalf("session cookie %+v, want Secure=%v, HttpOnly, SameSite=Lax", session, tt.secure)
			}
		})
	}
}

func testLogoutEverywhere(t *testing.T, start starter) {
	p := start(t)
	demo, other := p.seed(t), p.seed(t)
	laptop, phone := p.login(t, demo.Email, demo.Password), p.login(t, demo.Email, demo.Password)
	elsewhere := p.login(t, other.Email, other.Password)
	if _, body := laptop.get("/account"); !strings.Contains(body, `id="logout-all"`) || !strings.Contains(body, "Esci da tutti i dispositivi") {
		t.Fatal("the account page has no \"Esci da tutti i dispositivi\" button")
	}
	// A forged POST (no CSRF token) ends nothing.
	resp, err := phone.c.PostForm(p.URL+"/esci-ovunque", url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("forged sign-out: %d, want 403", resp.StatusCode)
	}
	if _, body := laptop.get("/account"); !strings.Contains(body, "Esci") {
		t.Fatal("a forged POST signed the owner out")
	}
	if st, body := phone.submit("/esci-ovunque", nil); st != 200 || !strings.Contains(body, "Accedi al portale") {
		t.Fatalf("sign out everywhere: %d", st)
	}
	for name, b := range map[string]*browser{"laptop": laptop, "phone": phone} {
		if _, body := b.get("/account"); !strings.Contains(body, "Accedi al portale") {
			t.Errorf("%s still signed in", name)
		}
	}
	if _, body := elsewhere.get("/account"); !strings.Contains(body, other.Email) {
		t.Error("another account's session was ended too")
	}
	if n := countRows(t, p, "SELECT COUNT(*) FROM sessions WHERE account_id = ?", demo.AccountID); n != 0 {
		t.Fatalf("%d sessions left", n)
	}
}

func testStaticHasNoListing(t *testing.T, start starter) {
	p := start(t)
	tests := []struct {
		path   string
		status int
	}{
		{"/static/", http.StatusNotFound},
		{"/static/portal.js", http.StatusOK},
		{"/static/portal.css", http.StatusOK},
		{"/static/./", http.StatusNotFound},
		{"/static/nessuno.js", http.StatusNotFound},
	}
	for _, tt := range tests {
		st, _, body := p.raw(t, "GET", tt.path, "", nil)
		if st != tt.status {
			t.Errorf("GET %s: %d, want %d", tt.path, st, tt.status)
		}
		if strings.Contains(string(body), "portal.js</a>") {
			t.Errorf("GET %s lists the folder", tt.path)
		}
	}
}

// testBadTextInNames sends invalid UTF-8, NUL and other control characters wherever a name
// enters the portal: a 400 with a message on both stores, never a 500, nothing stored.
func testBadTextInNames(t *testing.T, start starter) {
	p := start(t)
	demo := p.seed(t)
	token := p.activate(t, demo.Tills[0].ActivationCode)
	br := p.login(t, demo.Email, demo.Password)
	before := snapshot(t, p, demo.AccountID)
	bad := []struct{ name, text string }{
		{"invalid UTF-8", "Cassa \xff\xfe"},
		{"NUL", "Cassa\x00 1"},
		{"line break", "Cassa\n1"},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			forms := []string{"/punti-vendita", "/punti-vendita/" + demo.SalesPointID + "/casse"}
			for _, path := range forms {
				if st, body := br.submit(path, url.Values{"name": {b.text}}); st != http.StatusBadRequest || !strings.Contains(body, `id="page-error"`) {
					t.Errorf("POST %s: %d, want 400 with a message", path, st)
				}
			}
			devices := map[string]any{"devices": []any{map[string]any{"id": "pos-x", "name": "@NAME@", "model": "Ingenico_EMW", "link": "tcp://127.0.0.1:9100"}}}
			var e apiError
			if st := p.call(t, "POST", "/api/v1/devices", token, rawJSON(t, devices, b.text), &e); st != http.StatusBadRequest || e.Message == "" {
				t.Errorf("device name: %d %+v, want 400 with a message", st, e)
			}
			s := sale(demo.Tills[0].ID, 100)
			s["lines"] = []any{map[string]any{"description": "@NAME@", "quantity_milli": 1000, "unit_cents": 100, "department": 1, "vat_rate": 2200}}
			wantSale := http.StatusBadRequest
			if b.name == "line break" {
				wantSale = http.StatusOK // a line break in a description is text like any other
			}
			if st := p.call(t, "POST", "/api/v1/sales", token, rawJSON(t, map[string]any{"sales": []any{s}}, b.text), &e); st != wantSale {
				t.Errorf("sale line: %d %+v, want %d", st, e, wantSale)
			}
			if _, err := p.Store.CreateAccount(context.Background(), b.text, "x"+strings.ToLower(b.name[:3])+"@esempio.it", "password-lunga"); err == nil {
				t.Error("account created with a bad name")
			}
		})
	}
	// Ids in the path and the login form: 404 and 400, not a database error.
	if st, _ := br.submit("/casse/%FF%00/revoca", nil); st != http.StatusNotFound {
		t.Errorf("bad till id in the path: %d, want 404", st)
	}
	if st, _ := br.get("/vendite/%FF"); st != http.StatusNotFound {
		t.Errorf("bad sale id in the path: %d, want 404", st)
	}
	fresh := p.newBrowser(t)
	if st, body := fresh.submit("/login", url.Values{"email": {"a\xff@esempio.it"}, "password": {"x"}}); st != http.StatusBadRequest || !strings.Contains(body, "Testo non valido") {
		t.Errorf("login with invalid UTF-8: %d", st)
	}
	var e apiError
	if st := p.call(t, "POST", "/api/v1/activate", "", []byte(`{"code":"AB\u0000CD"}`), &e); st != http.StatusBadRequest {
		t.Errorf("activation code with NUL: %d %+v", st, e)
	}
	if n := countRows(t, p, "SELECT COUNT(*) FROM sales"); n != 1 {
		t.Errorf("%d sales stored, want only the one with a line break", n)
	}
	after := snapshot(t, p, demo.AccountID)
	if strings.Count(after, "\n") != strings.Count(before, "\n")+1 { // the accepted sale
		t.Errorf("bad names were stored:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// rawJSON marshals v and puts text, byte for byte, where the placeholder "@NAME@" was:
// json.Marshal would have escaped it into something valid.
func rawJSON(t testing.TB, v any, text string) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	escaped := strings.NewReplacer("\x00", `\u0000`, "\n", `\n`).Replace(text)
	return []byte(strings.ReplaceAll(string(data), "@NAME@", escaped))
}
