package portal_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"till/portal"
)

// freshAccount is an account with one sales point and two tills and nothing configured, as a
// new customer starts.
type freshAccount struct {
	email, password, accountID, spID string
	tills                            []portal.Till
}

func newFreshAccount(t testing.TB, p *testPortal) freshAccount {
	t.Helper()
	ctx := context.Background()
	f := freshAccount{email: "nuovo" + strings.ToLower(t.Name()[len(t.Name())-4:]) + "@esempio.it", password: "password-lunga-1"}
	acc, err := p.Store.CreateAccount(ctx, "Bar Nuovo", f.email, f.password)
	if err != nil {
		t.Fatal(err)
	}
	sp, err := p.Store.CreateSalesPoint(ctx, acc.ID, "Torino Porta Nuova")
	if err != nil {
		t.Fatal(err)
	}
	f.accountID, f.spID = acc.ID, sp.ID
	for _, name := range []string{"Cassa 1", "Cassa 2"} {
		till, err := p.Store.CreateTill(ctx, acc.ID, sp.ID, name)
		if err != nil {
			t.Fatal(err)
		}
		f.tills = append(f.tills, till)
	}
	return f
}

const coverflexPage = "/impostazioni/sistemi-di-pagamento/coverflex"

// TestCoverflexStepsWithPlainForms walks the four steps with form posts only, as a browser
// without script would, including the refusals and their Italian messages.
func TestCoverflexStepsWithPlainForms(t *testing.T) {
	testCoverflexStepsWithPlainForms(t, startPortal(t))
}

// TestEmptyDeviceHintNamesTheTillsRealButton: the hint sent the owner to a till section
// (Impostazioni › Pagamenti) that does not exist; it names the till's Impostazioni and its
// «Aggiungi POS» button, as the till's settings screen has them.
func TestEmptyDeviceHintNamesTheTillsRealButton(t *testing.T) {
	p := startPortal(t)
	f := newFreshAccount(t, p)
	ctx := context.Background()
	p.Store.SetCoverflexEnabled(ctx, f.accountID, true)
	p.Store.SetVisible(ctx, f.accountID, f.spID, true)
	br := p.login(t, f.email, f.password)
	_, body := br.get(coverflexPage)
	i := strings.Index(body, `id="vuoto-`+f.spID+`"`)
	if i < 0 {
		t.Fatalf("no empty-device hint:\n%s", body)
	}
	hint := body[i:]
	hint = hint[:strings.Index(hint, "</p>")]
	for _, want := range []string{"<strong>Impostazioni</strong>", "<strong>Aggiungi POS</strong>", "Ingenico_EMW", "Ingenico EMW_IT"} {
		if !strings.Contains(hint, want) {
			t.Errorf("hint %q lacks %q", hint, want)
		}
	}
	if strings.Contains(hint, "Pagamenti") {
		t.Errorf("hint %q names a till section that does not exist", hint)
	}
}

func testCoverflexStepsWithPlainForms(t *testing.T, p *testPortal) {
	f := newFreshAccount(t, p)
	br := p.login(t, f.email, f.password)
	sp := coverflexPage + "/punti-vendita/" + f.spID

	_, body := br.get(coverflexPage)
	if strings.Contains(body, "Torino Porta Nuova") || !strings.Contains(body, "Abilita Coverflex") {
		t.Fatal("sales points shown while Coverflex is off, or step 1 missing")
	}
	steps := []struct {
		name   string
		path   string
		form   url.Values
		status int
		shows  string
	}{
		{"step 1 SI", coverflexPage, url.Values{"abilita": {"si"}}, 200, "Torino Porta Nuova"},
		{"step 2 Visibile", sp + "/visibile", url.Values{"visibile": {"si"}}, 200, `id="gear-` + f.spID},
		{"empty state without devices", coverflexPage, nil, 0, "Ingenico EMW_IT"},
		{"step 3 empty Merchant ID", sp + "/sistema-di-pagamento", url.Values{"merchant_id": {""}}, 400, "Inserisci il Merchant ID"},
		{"step 3 too long", sp + "/sistema-di-pagamento", url.Values{"merchant_id": {strings.Repeat("A", 33)}}, 400, "al massimo 32 caratteri"},
		{"step 3 only spaces: the till would refuse it", sp + "/sistema-di-pagamento", url.Values{"merchant_id": {"   "}}, 400, "Inserisci il Merchant ID"},
		{"step 3 not ASCII", sp + "/sistema-di-pagamento", url.Values{"merchant_id": {"CFXè1"}}, 400, "ASCII"},
		{"step 3 valid", sp + "/sistema-di-pagamento", url.Values{"merchant_id": {"CFX0001234"}}, 200, "Merchant ID salvato"},
	}
	for _, s := range steps {
		var st int
		if s.form == nil {
			st, body = br.get(s.path)
		} else {
			st, body = br.submit(s.path, s.form)
		}
		if (s.status != 0 && st != s.status) || !strings.Contains(body, s.shows) {
			t.Fatalf("%s: status %d, want %d showing %q\n%s", s.name, st, s.status, s.shows, body)
		}
	}

	// The tills add their terminals; only the Ingenico models appear in step 4.
	ctx := context.Background()
	a1, _ := p.Store.NewActivationCode(ctx, f.accountID, f.tills[0].ID)
	tok := p.activate(t, a1)
	devs := []portal.Device{
		{ID: "pos-1", Name: "POS banco", Model: "Ingenico_EMW", Link: "tcp://192.168.1.50:9100"},
		{ID: "pos-2", Name: "POS sala", Model: "Ingenico EMW_IT", Link: "serial:///dev/ttyUSB0?baud=9600"},
		{ID: "pos-3", Name: "POS estraneo", Model: "Altro", Link: "tcp://192.168.1.51:9100"},
	}
	p.call(t, "POST", "/api/v1/devices", tok, map[string]any{"devices": devs}, nil)
	_, body = br.get(coverflexPage)
	if !strings.Contains(body, "POS banco") || !strings.Contains(body, "POS sala") || strings.Contains(body, "POS estraneo") {
		t.Fatal("step 4 does not list exactly the Ingenico devices")
	}
	dev := sp + "/dispositivi/"
	t1, t2 := f.tills[0].ID, f.tills[1].ID
	device := []struct {
		name   string
		path   string
		form   url.Values
		status int
		shows  string
	}{
		{"7 digits", dev + "pos-1", url.Values{"terminal_id": {"1234567"}, "abilitato": {t1}}, 400, "esattamente 8 cifre"},
		{"letters", dev + "pos-1", url.Values{"terminal_id": {"1234567A"}}, 400, "esattamente 8 cifre"},
		{"valid", dev + "pos-1", url.Values{"terminal_id": {"12345678"}, "abilitato": {t1, t2}}, 200, "Dispositivo di pagamento salvato"},
		{"same TID on another device", dev + "pos-2", url.Values{"terminal_id": {"12345678"}, "abilitato": {t1}}, 400, "già assegnato"},
		{"second device", dev + "pos-2", url.Values{"terminal_id": {"87654321"}, "abilitato": {t1}}, 200, "Dispositivo di pagamento salvato"},
		{"other model not configurable", dev + "pos-3", url.Values{"terminal_id": {"11111111"}}, 404, "non trovato"},
	}
	for _, s := range device {
		st, body := br.submit(s.path, s.form)
		if st != s.status || !strings.Contains(body, s.shows) {
			t.Fatalf("%s: status %d, want %d showing %q", s.name, st, s.status, s.shows)
		}
	}
	var doc portal.ConfigDoc
	p.call(t, "GET", "/api/v1/config", tok, nil, &doc)
	if !doc.Account.CoverflexEnabled || !doc.SalesPoint.CoverflexVisible || doc.SalesPoint.CoverflexMerchantID != "CFX0001234" || len(doc.PaymentDevices) != 2 {
		t.Fatalf("document %+v", doc)
	}
	for _, d := range doc.PaymentDevices {
		want := map[string]int{"pos-1": 2, "pos-2": 1}[d.ID]
		if len(d.EnabledTills) != want || d.TerminalID == "" {
			t.Fatalf("device %+v, want %d tills", d, want)
		}
	}
	// Step 1 NO hides the sales points again but keeps their settings.
	_, body = br.submit(coverflexPage, url.Values{"abilita": {"no"}})
	if strings.Contains(body, "Torino Porta Nuova") {
		t.Fatal("sales points still shown with Coverflex off")
	}
	if sp, _ := p.Store.SalesPoint(ctx, f.accountID, f.spID); sp.CoverflexMerchantID != "CFX0001234" {
		t.Fatal("turning Coverflex off lost the Merchant ID")
	}
}

var shownCode = regexp.MustCompile(`id="activation-code">([A-Z0-9-]+)<`)

func TestAccountPageCodesRevokeAndSales(t *testing.T) {
	testAccountPageCodesRevokeAndSales(t, startPortal(t))
}

func testAccountPageCodesRevokeAndSales(t *testing.T, p *testPortal) {
	demo := p.seed(t)
	br := p.login(t, demo.Email, demo.Password)
	st, body := br.submit("/casse/"+demo.Tills[0].ID+"/codice-attivazione", nil)
	m := shownCode.FindStringSubmatch(body)
	if st != 200 || m == nil {
		t.Fatalf("generate code: %d", st)
	}
	// The new code replaced the seeded one.
	var e apiError
	if st := p.call(t, "POST", "/api/v1/activate", "", map[string]string{"code": demo.Tills[0].ActivationCode}, &e); st != http.StatusNotFound {
		t.Fatalf("withdrawn code: %d", st)
	}
	tok := p.activate(t, m[1])
	s1, s2 := sale(demo.Tills[0].ID, 1250), sale(demo.Tills[0].ID, 800)
	s2["payments"] = []any{map[string]any{"method": "coverflex", "amount_cents": 500}, map[string]any{"method": "card", "amount_cents": 300}}
	p.call(t, "POST", "/api/v1/sales", tok, map[string]any{"sales": []any{s1, s2}}, nil, portal.PendingHeader, "3")

	_, body = br.get("/account")
	for _, want := range []string{"Attiva", "<strong>3</strong>", "Revoca token", "Non attivata"} {
		if !strings.Contains(body, want) {
			t.Errorf("account page lacks %q", want)
		}
	}
	rome, _ := time.LoadLocation("Europe/Rome")
	created, _ := time.Parse(time.RFC3339Nano, s1["created_at"].(string))
	day := created.In(rome).Format(time.DateOnly)
	_, body = br.get("/vendite?giorno=" + day)
	for _, want := range []string{"20,50 €", "12,50 €", "5,00 €", "3,00 €", "Cassa 1"} {
		if !strings.Contains(body, want) {
			t.Errorf("sales page lacks %q", want)
		}
	}
	if st, _ := br.get("/vendite?giorno=ieri"); st != http.StatusBadRequest {
		t.Errorf("bad day: %d", st)
	}
	if st, body := br.submit("/casse/"+demo.Tills[0].ID+"/revoca", nil); st != 200 || !strings.Contains(body, "Token revocato") {
		t.Fatalf("revoke: %d", st)
	}
	if st := p.call(t, "GET", "/api/v1/status", tok, nil, nil); st != http.StatusUnauthorized {
		t.Fatalf("revoked till: %d", st)
	}
}
