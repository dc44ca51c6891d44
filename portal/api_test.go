package portal_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"till/portal"
)

type apiError struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

func TestActivateSpendsCodeOnce(t *testing.T) { testActivateSpendsCodeOnce(t, startPortal(t)) }

func testActivateSpendsCodeOnce(t *testing.T, p *testPortal) {
	demo := p.seed(t)
	code := demo.Tills[0].ActivationCode
	tests := []struct {
		name   string
		body   any
		status int
		errKey string
	}{
		{"valid code", map[string]string{"code": code}, 200, ""},
		{"same code again", map[string]string{"code": code}, 409, "code_used"},
		{"lower case without dashes, spent too", map[string]string{"code": strings.ToLower(strings.ReplaceAll(code, "-", ""))}, 409, "code_used"},
		{"unknown code", map[string]string{"code": "AAAA-BBBB-CCCC"}, 404, "unknown_code"},
		{"empty code", map[string]string{"code": ""}, 400, "bad_request"},
		{"not JSON", []byte("code=1"), 400, "bad_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out map[string]any
			st := p.call(t, "POST", "/api/v1/activate", "", tt.body, &out)
			if st != tt.status {
				t.Fatalf("status %d, want %d: %v", st, tt.status, out)
			}
			if tt.errKey != "" {
				if out["error"] != tt.errKey || out["message"] == "" {
					t.Fatalf("error body %v, want error %q with a message", out, tt.errKey)
				}
				return
			}
			if out["till_id"] != demo.Tills[0].ID || out["sales_point_id"] != demo.SalesPointID || out["token"] == "" {
				t.Fatalf("activation %v", out)
			}
		})
	}
}

func TestConfigETagAndVersionBump(t *testing.T) { testConfigETagAndVersionBump(t, startPortal(t)) }

func testConfigETagAndVersionBump(t *testing.T, p *testPortal) {
	demo := p.seed(t)
	token := p.activate(t, demo.Tills[1].ActivationCode)

	st, h, body := p.raw(t, "GET", "/api/v1/config", token, nil)
	if st != 200 {
		t.Fatalf("config: %d %s", st, body)
	}
	var doc portal.ConfigDoc
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	etag := h.Get("ETag")
	if etag != fmt.Sprintf(`"%d"`, doc.Version) || doc.Format != 1 {
		t.Fatalf("ETag %s for version %d format %d", etag, doc.Version, doc.Format)
	}
	if doc.Till.ID != demo.Tills[1].ID || len(doc.Tills) != 2 || doc.Account.ID != demo.AccountID ||
		!doc.Account.CoverflexEnabled || !doc.SalesPoint.CoverflexVisible || doc.SalesPoint.CoverflexMerchantID != demo.MerchantID {
		t.Fatalf("document %+v", doc)
	}
	if len(doc.PaymentDevices) != 1 || doc.PaymentDevices[0].TerminalID != demo.TerminalID || len(doc.PaymentDevices[0].EnabledTills) != 2 {
		t.Fatalf("devices %+v", doc.PaymentDevices)
	}

	if st, _, _ := p.raw(t, "GET", "/api/v1/config", token, nil, "If-None-Match", etag); st != 304 {
		t.Fatalf("unchanged config: status %d, want 304", st)
	}
	// A save that changes nothing keeps the version; a real change bumps it.
	if err := p.Store.SetMerchantID(context.Background(), demo.AccountID, demo.SalesPointID, demo.MerchantID); err != nil {
		t.Fatal(err)
	}
	if st, _, _ := p.raw(t, "GET", "/api/v1/config", token, nil, "If-None-Match", etag); st != 304 {
		t.Fatalf("config after a no-op save: status %d, want 304", st)
	}
	changes := []struct {
		name string
		do   func() error
	}{
		{"merchant id", func() error {
			return p.Store.SetMerchantID(context.Background(), demo.AccountID, demo.SalesPointID, "CFX-NEW")
		}},
		{"account flag", func() error { return p.Store.SetCoverflexEnabled(context.Background(), demo.AccountID, false) }},
		{"visible", func() error {
			return p.Store.SetVisible(context.Background(), demo.AccountID, demo.SalesPointID, false)
		}},
		{"enabled tills", func() error {
			return p.Store.ConfigureDevice(context.Background(), demo.AccountID, demo.SalesPointID, demo.DeviceID, demo.TerminalID, []string{demo.Tills[0].ID})
		}},
		{"new till", func() error {
			_, err := p.Store.CreateTill(context.Background(), demo.AccountID, demo.SalesPointID, "Cassa 3")
			return err
		}},
	}
	last := doc.Version
	for _, c := range changes {
		if err := c.do(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var next portal.ConfigDoc
		if st := p.call(t, "GET", "/api/v1/config", token, nil, &next, "If-None-Match", fmt.Sprintf(`"%d"`, last)); st != 200 || next.Version <= last {
			t.Fatalf("after %s: status %d version %d, want 200 and > %d", c.name, st, next.Version, last)
		}
		last = next.Version
	}
}

func TestDevicesRegisteredAppearInConfig(t *testing.T) {
	testDevicesRegisteredAppearInConfig(t, startPortal(t))
}

func testDevicesRegisteredAppearInConfig(t *testing.T, p *testPortal) {
	demo := p.seed(t)
	token := p.activate(t, demo.Tills[0].ActivationCode)
	var before portal.ConfigDoc
	p.call(t, "GET", "/api/v1/config", token, nil, &before)

	devices := []portal.Device{
		{ID: "pos-sala", Name: "POS sala", Model: "Ingenico EMW_IT", Link: "serial:///dev/ttyUSB0?baud=9600"},
		{ID: "pos-altro", Name: "Altro POS", Model: "Verifone X", Link: "tcp://10.0.0.9:9100"},
	}
	var out struct{ Devices []portal.Device }
	if st := p.call(t, "POST", "/api/v1/devices", token, map[string]any{"devices": devices}, &out); st != 200 || len(out.Devices) != 2 {
		t.Fatalf("register: status %d %+v", st, out)
	}
	var after portal.ConfigDoc
	p.call(t, "GET", "/api/v1/config", token, nil, &after)
	if after.Version <= before.Version {
		t.Fatalf("version %d after registering, was %d", after.Version, before.Version)
	}
	ids := map[string]portal.Device{}
	for _, d := range after.PaymentDevices {
		ids[d.ID] = d
	}
	if _, ok := ids["pos-sala"]; ok {
		t.Fatalf("a device without its Terminal ID is in the document: %+v", after.PaymentDevices)
	}
	// It is in step 4, waiting for its Terminal ID; once set, it reaches the till.
	listed, err := p.Store.Devices(context.Background(), demo.SalesPointID, true)
	found := false
	for _, d := range listed {
		found = found || (d.ID == "pos-sala" && d.Link == devices[0].Link && d.TerminalID == "")
	}
	if err != nil || !found {
		t.Fatalf("registered device not listed for step 4: %+v %v", listed, err)
	}
	if err := p.Store.ConfigureDevice(context.Background(), demo.AccountID, demo.SalesPointID, "pos-sala", "55556666",
		[]string{demo.Tills[0].ID}); err != nil {
		t.Fatal(err)
	}
	p.call(t, "GET", "/api/v1/config", token, nil, &after)
	ids = map[string]portal.Device{}
	for _, d := range after.PaymentDevices {
		ids[d.ID] = d
	}
	if d, ok := ids["pos-sala"]; !ok || d.TerminalID != "55556666" || len(d.EnabledTills) != 1 {
		t.Fatalf("configured device in config: %+v", after.PaymentDevices)
	}
	if _, ok := ids["pos-altro"]; ok {
		t.Fatal("a model that is not Ingenico EMW is listed in the document")
	}
	// Registering again the same changes nothing, not even the version.
	p.call(t, "POST", "/api/v1/devices", token, map[string]any{"devices": devices[:1]}, nil)
	var again portal.ConfigDoc
	p.call(t, "GET", "/api/v1/config", token, nil, &again)
	if again.Version != after.Version {
		t.Fatalf("version moved from %d to %d on a repeated registration", after.Version, again.Version)
	}
	bad := []portal.Device{{ID: "x", Name: "x", Model: "Ingenico_EMW", Link: "http://evil"}}
	var e apiError
	if st := p.call(t, "POST", "/api/v1/devices", token, map[string]any{"devices": bad}, &e); st != 400 || e.Error != "invalid_device" {
		t.Fatalf("bad link: %d %+v", st, e)
	}
}

func TestRevokedTokenIsRefused(t *testing.T) { testRevokedTokenIsRefused(t, startPortal(t)) }

func testRevokedTokenIsRefused(t *testing.T, p *testPortal) {
	demo := p.seed(t)
	token := p.activate(t, demo.Tills[0].ActivationCode)
	if st := p.call(t, "GET", "/api/v1/status", token, nil, nil); st != 200 {
		t.Fatalf("before revoke: %d", st)
	}
	if err := p.Store.RevokeTill(context.Background(), demo.AccountID, demo.Tills[0].ID); err != nil {
		t.Fatal(err)
	}
	calls := []struct{ method, path string }{
		{"GET", "/api/v1/config"}, {"GET", "/api/v1/status"}, {"POST", "/api/v1/sales"}, {"POST", "/api/v1/devices"},
	}
	for _, tok := range []string{token, "", "not-a-token"} {
		for _, c := range calls {
			var e apiError
			body := map[string]any{"sales": []any{sale(demo.Tills[0].ID, 1)}, "devices": []any{}}
			if st := p.call(t, c.method, c.path, tok, body, &e); st != 401 || e.Error != "unauthorized" {
				t.Fatalf("%s %s with token %q: %d %+v", c.method, c.path, tok, st, e)
			}
		}
	}
	if n := countRows(t, p, "SELECT COUNT(*) FROM sales"); n != 0 {
		t.Fatalf("%d sales stored with a revoked token", n)
	}
	// A new code brings the till back with a new token; the old one stays dead.
	code, err := p.Store.NewActivationCode(context.Background(), demo.AccountID, demo.Tills[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	fresh := p.activate(t, code)
	if st := p.call(t, "GET", "/api/v1/status", fresh, nil, nil); st != 200 {
		t.Fatalf("reactivated: %d", st)
	}
	if st := p.call(t, "GET", "/api/v1/status", token, nil, nil); st != 401 {
		t.Fatalf("old token after reactivation: %d", st)
	}
}

func TestPendingReportedByTill(t *testing.T) { testPendingReportedByTill(t, startPortal(t)) }

func testPendingReportedByTill(t *testing.T, p *testPortal) {
	demo := p.seed(t)
	token := p.activate(t, demo.Tills[0].ActivationCode)
	p.call(t, "GET", "/api/v1/status", token, nil, nil, portal.PendingHeader, "7")
	till, err := p.Store.Till(context.Background(), demo.AccountID, demo.Tills[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if till.PendingReported != 7 || till.LastSyncAt.IsZero() {
		t.Fatalf("till %+v", till)
	}
}
