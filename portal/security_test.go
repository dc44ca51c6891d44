package portal_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"till/portal"
)

// snapshot dumps every row that belongs to an account, to prove a request changed nothing.
func snapshot(t *testing.T, p *testPortal, accountID string) string {
	t.Helper()
	queries := []string{
		"SELECT id || name || coverflex_enabled || password_hash FROM accounts WHERE id = ?",
		"SELECT id || name || coverflex_visible || coverflex_merchant_id || version FROM sales_points WHERE account_id = ?",
		"SELECT t.id || t.name || t.revoked || COALESCE(t.token_hash, '') FROM tills t JOIN sales_points sp ON sp.id = t.sales_point_id WHERE sp.account_id = ?",
		"SELECT c.code_hash || COALESCE(c.used_at, '') FROM activation_codes c JOIN tills t ON t.id = c.till_id JOIN sales_points sp ON sp.id = t.sales_point_id WHERE sp.account_id = ?",
		"SELECT d.id || d.name || d.model || d.link || d.terminal_id FROM payment_devices d JOIN sales_points sp ON sp.id = d.sales_point_id WHERE sp.account_id = ?",
		"SELECT dt.device_id || dt.till_id FROM device_tills dt JOIN sales_points sp ON sp.id = dt.sales_point_id WHERE sp.account_id = ?",
		"SELECT id || total_cents || body FROM sales WHERE account_id = ?",
	}
	var sb strings.Builder
	for _, q := range queries {
		rows, err := p.Store.SQL().Query(p.sql(q+" ORDER BY 1"), accountID)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for rows.Next() {
			var s string
			rows.Scan(&s)
			sb.WriteString(s + "\n")
		}
		rows.Close()
	}
	return sb.String()
}

func TestAccountCannotTouchAnotherAccount(t *testing.T) {
	testAccountCannotTouchAnotherAccount(t, startPortal(t))
}

func testAccountCannotTouchAnotherAccount(t *testing.T, p *testPortal) {
	a, b := p.seed(t), p.seed(t)
	ctx := context.Background()
	tokenA := p.activate(t, a.Tills[0].ActivationCode)
	tokenB := p.activate(t, b.Tills[0].ActivationCode)
	saleB := sale(b.Tills[0].ID, 4200)
	if st := p.call(t, "POST", "/api/v1/sales", tokenB, map[string]any{"sales": []any{saleB}}, nil); st != 200 {
		t.Fatalf("B's sale: %d", st)
	}
	spB, tillB, devB, saleIDB := b.SalesPointID, b.Tills[0].ID, b.DeviceID, saleB["id"].(string)
	before := snapshot(t, p, b.AccountID)
	browserA := p.login(t, a.Email, a.Password)
	rome, _ := time.LoadLocation("Europe/Rome")
	cf := "/impostazioni/sistemi-di-pagamento/coverflex"

	posts := []struct {
		path string
		form url.Values
	}{
		{"/punti-vendita/" + spB + "/casse", url.Values{"name": {"Cassa intrusa"}}},
		{"/casse/" + tillB + "/codice-attivazione", nil},
		{"/casse/" + tillB + "/revoca", nil},
		{cf + "/punti-vendita/" + spB + "/visibile", url.Values{"visibile": {""}}},
		{cf + "/punti-vendita/" + spB + "/sistema-di-pagamento", url.Values{"merchant_id": {"HACKED"}}},
		{cf + "/punti-vendita/" + spB + "/dispositivi/" + devB, url.Values{"terminal_id": {"99999999"}, "abilitato": {a.Tills[0].ID}}},
		// A's own sales point and device, but B's till: must not be linkable.
		{cf + "/punti-vendita/" + a.SalesPointID + "/dispositivi/" + a.DeviceID, url.Values{"terminal_id": {"11112222"}, "abilitato": {tillB}}},
	}
	for _, tt := range posts {
		st, body := browserA.submit(tt.path, tt.form)
		if st != http.StatusNotFound && st != http.StatusForbidden && st != http.StatusBadRequest {
			t.Errorf("POST %s as A: status %d, want 404/403/400", tt.path, st)
		}
		if strings.Contains(body, b.MerchantID) || strings.Contains(body, tillB) && st != http.StatusBadRequest {
			t.Errorf("POST %s as A shows B's data", tt.path)
		}
	}
	gets := []string{"/vendite/" + saleIDB}
	for _, path := range gets {
		if st, _ := browserA.get(path); st != http.StatusNotFound {
			t.Errorf("GET %s as A: status %d, want 404", path, st)
		}
	}
	for _, path := range []string{"/account", "/vendite", "/vendite?giorno=" + time.Now().In(rome).Format(time.DateOnly), cf} {
		st, body := browserA.get(path)
		if st != 200 {
			t.Errorf("GET %s: %d", path, st)
		}
		for _, secret := range []string{spB, tillB, b.MerchantID, saleIDB, b.Email} {
			if strings.Contains(body, secret) {
				t.Errorf("GET %s as A shows B's %s", path, secret)
			}
		}
	}

	// Through the API, A's till only ever sees and changes A's sales point.
	var doc portal.ConfigDoc
	p.call(t, "GET", "/api/v1/config", tokenA, nil, &doc)
	raw := fmt.Sprintf("%+v", doc)
	for _, secret := range []string{spB, tillB, b.MerchantID, b.AccountID} {
		if strings.Contains(raw, secret) {
			t.Errorf("A's config shows B's %s", secret)
		}
	}
	p.call(t, "POST", "/api/v1/devices", tokenA, map[string]any{"devices": []portal.Device{
		{ID: devB, Name: "Rinominato", Model: "Ingenico_EMW", Link: "tcp://1.2.3.4:1"}}}, nil)
	if st := p.call(t, "POST", "/api/v1/sales", tokenA, map[string]any{"sales": []any{saleB}}, nil); st != http.StatusBadRequest {
		t.Errorf("A's till resending B's sale: %d, want 400", st)
	}
	if _, err := p.Store.SaleBody(ctx, a.AccountID, saleIDB); err == nil {
		t.Error("B's sale readable in A's account")
	}

	if after := snapshot(t, p, b.AccountID); after != before {
		t.Fatalf("B's data changed by A:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

func TestCSRFTokenRequired(t *testing.T) { testCSRFTokenRequired(t, startPortal(t)) }

func testCSRFTokenRequired(t *testing.T, p *testPortal) {
	demo := p.seed(t)
	br := p.login(t, demo.Email, demo.Password)
	path := "/impostazioni/sistemi-di-pagamento/coverflex"
	for _, token := range []string{"", "wrong", br.csrf + "x"} {
		resp, err := br.c.PostForm(p.URL+path, url.Values{"abilita": {"no"}, "csrf": {token}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("csrf %q: status %d, want 403", token, resp.StatusCode)
		}
	}
	if acc, _ := p.Store.Account(context.Background(), demo.AccountID); !acc.CoverflexEnabled {
		t.Fatal("a forged POST switched Coverflex off")
	}
	// The login form has its own token; a cross-site login is refused too.
	fresh := p.newBrowser(t)
	resp, err := fresh.c.PostForm(p.URL+"/login", url.Values{"email": {demo.Email}, "password": {demo.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("login without CSRF: %d, want 403", resp.StatusCode)
	}
	// With the right token the same POST works.
	if st, _ := br.submit(path, url.Values{"abilita": {"no"}}); st != 200 {
		t.Fatalf("genuine POST: %d", st)
	}
}

func TestLogin(t *testing.T) { testLogin(t, startPortal(t)) }

func testLogin(t *testing.T, p *testPortal) {
	demo := p.seed(t)
	tests := []struct {
		name, email, password string
		ok                    bool
	}{
		{"right password", demo.Email, demo.Password, true},
		{"e-mail in capitals", strings.ToUpper(demo.Email), demo.Password, true},
		{"wrong password", demo.Email, demo.Password + "x", false},
		{"unknown e-mail", "nessuno@esempio.it", demo.Password, false},
		{"empty password", demo.Email, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			br := p.newBrowser(t)
			st, body := br.submit("/login", url.Values{"email": {tt.email}, "password": {tt.password}})
			if tt.ok != (st == 200 && strings.Contains(body, "Esci")) {
				t.Fatalf("status %d, signed in = %v, want %v", st, !tt.ok, tt.ok)
			}
			if !tt.ok && (st != http.StatusUnauthorized || !strings.Contains(body, "E-mail o password errate")) {
				t.Fatalf("refusal: status %d", st)
			}
			if st, body := br.get("/account"); tt.ok != (st == 200 && strings.Contains(body, "Esci")) {
				t.Fatalf("account page after login: %d", st)
			}
		})
	}
	// Logging out ends the session on the server, not only in the browser.
	br := p.login(t, demo.Email, demo.Password)
	br.submit("/logout", nil)
	if _, body := br.get("/account"); !strings.Contains(body, "Accedi al portale") {
		t.Fatal("account page still shown after logout")
	}
}

func TestSecretsStoredHashed(t *testing.T) {
	p := startPortal(t)
	demo := p.seed(t)
	token := p.activate(t, demo.Tills[0].ActivationCode)
	var hash string
	p.Store.SQL().QueryRow("SELECT password_hash FROM accounts WHERE id = ?", demo.AccountID).Scan(&hash)
	if strings.Contains(hash, demo.Password) || !strings.HasPrefix(hash, "pbkdf2-sha256$") {
		t.Fatalf("password stored as %q", hash)
	}
	for _, secret := range []string{token, demo.Tills[1].ActivationCode, strings.ReplaceAll(demo.Tills[1].ActivationCode, "-", "")} {
		n := countRows(t, p, `SELECT COUNT(*) FROM tills, activation_codes
			WHERE instr(COALESCE(tills.token_hash, ''), ?) > 0 OR instr(activation_codes.code_hash, ?) > 0`, secret, secret)
		if n != 0 {
			t.Fatalf("secret %q stored in clear", secret)
		}
	}
}

func TestPagesNeedLogin(t *testing.T) {
	p := startPortal(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, path := range []string{"/account", "/vendite", "/impostazioni/sistemi-di-pagamento/coverflex"} {
		resp, err := client.Get(p.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
			t.Errorf("GET %s signed out: %d → %s", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
}
