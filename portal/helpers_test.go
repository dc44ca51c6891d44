package portal_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"till/portal"
)

// testPortal is a real portal on 127.0.0.1 with a temporary SQLite file.
type testPortal struct {
	URL   string
	Store *portal.Store
	pg    bool // the store is on PostgreSQL: raw test queries need $n placeholders
}

// sql adapts a test query written with ? to the store's database.
func (p *testPortal) sql(q string) string { return portal.Rebind(p.pg, q) }

func startPortal(t testing.TB) *testPortal {
	t.Helper()
	store, err := portal.Open(context.Background(), filepath.Join(t.TempDir(), "portal.db"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(portal.NewServer(store))
	t.Cleanup(func() {
		srv.Close()
		store.Close()
	})
	return &testPortal{URL: srv.URL, Store: store}
}

func (p *testPortal) seed(t testing.TB) portal.DemoInfo {
	t.Helper()
	info, err := portal.SeedDemo(context.Background(), p.Store)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

// activate spends a demo till's code through the API and returns its token.
func (p *testPortal) activate(t testing.TB, code string) string {
	t.Helper()
	var a portal.Activation
	if st := p.call(t, "POST", "/api/v1/activate", "", map[string]string{"code": code}, &a); st != 200 {
		t.Fatalf("activate: status %d", st)
	}
	return a.Token
}

// call makes an API request; body is JSON-encoded unless it is already []byte. It decodes the
// answer into out when out is not nil, and returns the status.
func (p *testPortal) call(t testing.TB, method, path, token string, body, out any, header ...string) int {
	t.Helper()
	st, _, data := p.raw(t, method, path, token, body, header...)
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: decode %q: %v", method, path, data, err)
		}
	}
	return st
}

func (p *testPortal) raw(t testing.TB, method, path, token string, body any, header ...string) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, p.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, data
}

// sale is a minimal valid sale of a till, as the till's outbox would send it.
func sale(tillID string, cents int64) map[string]any {
	return map[string]any{
		"id":          uuid.Must(uuid.NewV7()).String(),
		"till_id":     tillID,
		"created_at":  time.Now().UTC().Format(time.RFC3339Nano),
		"total_cents": cents,
		"lines":       []any{map[string]any{"description": "Caffè", "quantity_milli": 1000, "unit_cents": cents, "department": 1, "vat_rate": 1000}},
		"payments":    []any{map[string]any{"method": "cash", "amount_cents": cents}},
		"document":    map[string]any{"receipt": map[string]any{"z_number": 1, "number": 1, "printer_serial": "99MEY000001"}},
	}
}

func countRows(t testing.TB, p *testPortal, query string, args ...any) int {
	t.Helper()
	var n int
	if err := p.Store.SQL().QueryRow(p.sql(query), args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// browser is a cookie-keeping HTTP client that signs in like a person with a web browser.
type browser struct {
	t    testing.TB
	p    *testPortal
	c    *http.Client
	csrf string
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (p *testPortal) login(t testing.TB, email, password string) *browser {
	t.Helper()
	b := p.newBrowser(t)
	if st, body := b.submit("/login", url.Values{"email": {email}, "password": {password}}); st != 200 || !strings.Contains(body, "Esci") {
		t.Fatalf("login as %s: status %d\n%s", email, st, body)
	}
	return b
}

func (p *testPortal) newBrowser(t testing.TB) *browser {
	jar, _ := cookiejar.New(nil)
	b := &browser{t: t, p: p, c: &http.Client{Jar: jar}}
	b.get("/login")
	return b
}

// get loads a page and remembers its CSRF token, as the forms of that page would carry it.
func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	resp, err := b.c.Get(b.p.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.read(resp)
}

func (b *browser) read(resp *http.Response) (int, string) {
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if m := csrfInput.FindSubmatch(data); m != nil {
		b.csrf = string(m[1])
	}
	return resp.StatusCode, string(data)
}

// submit posts a form with the current CSRF token, following the redirect like a browser.
func (b *browser) submit(path string, form url.Values) (int, string) {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("csrf") == "" {
		form.Set("csrf", b.csrf)
	}
	resp, err := b.c.PostForm(b.p.URL+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.read(resp)
}
