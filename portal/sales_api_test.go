package portal_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"till/portal"
)

type salesAnswer struct {
	Results []portal.SaleResult `json:"results"`
}

func TestSalesBatchIsIdempotent(t *testing.T) { testSalesBatchIsIdempotent(t, startPortal(t)) }

func testSalesBatchIsIdempotent(t *testing.T, p *testPortal) {
	demo := p.seed(t)
	tillID := demo.Tills[0].ID
	token := p.activate(t, demo.Tills[0].ActivationCode)
	batch := []any{sale(tillID, 150), sale(tillID, 1250), sale(tillID, 99)}

	for round, want := range []string{"stored", "duplicate"} {
		var ans salesAnswer
		if st := p.call(t, "POST", "/api/v1/sales", token, map[string]any{"sales": batch}, &ans); st != 200 {
			t.Fatalf("round %d: status %d", round, st)
		}
		if len(ans.Results) != len(batch) {
			t.Fatalf("round %d: %d results", round, len(ans.Results))
		}
		for i, r := range ans.Results {
			if r.Status != want || r.ID != batch[i].(map[string]any)["id"] {
				t.Fatalf("round %d sale %d: %+v, want %s", round, i, r, want)
			}
		}
	}
	if n := countRows(t, p, "SELECT COUNT(*) FROM sales"); n != 3 {
		t.Fatalf("%d sales stored, want 3", n)
	}
	if n := countRows(t, p, "SELECT COUNT(*) FROM sale_payments"); n != 3 {
		t.Fatalf("%d payments stored, want 3", n)
	}
	// The same id with a different body is a conflict, refused whole, and changes nothing.
	changed := batch[0].(map[string]any)
	changed["total_cents"] = 999999
	changed["payments"] = []any{map[string]any{"method": "cash", "amount_cents": 999999}}
	var e apiError
	st := p.call(t, "POST", "/api/v1/sales", token, map[string]any{"sales": []any{sale(tillID, 5), changed}}, &e)
	if st != http.StatusConflict || e.Error != "sale_conflict" || countRows(t, p, "SELECT COUNT(*) FROM sales WHERE total_cents IN (5, 999999)") != 0 {
		t.Fatalf("conflicting sale: status %d %+v", st, e)
	}
	var status struct {
		TillID        string  `json:"till_id"`
		SalesReceived int     `json:"sales_received"`
		LastSaleAt    *string `json:"last_sale_at"`
		ConfigVersion int64   `json:"config_version"`
	}
	if st := p.call(t, "GET", "/api/v1/status", token, nil, &status); st != 200 || status.SalesReceived != 3 ||
		status.TillID != tillID || status.LastSaleAt == nil || status.ConfigVersion == 0 {
		t.Fatalf("status %d %+v", st, status)
	}
}

func TestSalesBatchRejectedWhole(t *testing.T) { testSalesBatchRejectedWhole(t, startPortal(t)) }

func testSalesBatchRejectedWhole(t *testing.T, p *testPortal) {
	demo := p.seed(t)
	tillID := demo.Tills[0].ID
	token := p.activate(t, demo.Tills[0].ActivationCode)
	big := make([]any, portal.MaxBatch+1)
	for i := range big {
		big[i] = sale(tillID, 100)
	}
	withBad := func(edit func(map[string]any)) []any {
		s := sale(tillID, 200)
		edit(s)
		return []any{sale(tillID, 100), s, sale(tillID, 300)}
	}
	tests := []struct {
		name   string
		sales  []any
		status int
		code   string
	}{
		{"over 500", big, 413, "batch_too_large"},
		{"missing id", withBad(func(s map[string]any) { delete(s, "id") }), 400, "invalid_sale"},
		{"bad created_at", withBad(func(s map[string]any) { s["created_at"] = "ieri" }), 400, "invalid_sale"},
		{"money as float", withBad(func(s map[string]any) { s["total_cents"] = 12.5 }), 400, "invalid_sale"},
		{"another till's id", withBad(func(s map[string]any) { s["till_id"] = demo.Tills[1].ID }), 400, "invalid_sale"},
		{"payment without amount", withBad(func(s map[string]any) { s["payments"] = []any{map[string]any{"method": "card"}} }), 400, "invalid_sale"},
		{"not an object", []any{sale(tillID, 1), "sale"}, 400, "invalid_sale"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e apiError
			if st := p.call(t, "POST", "/api/v1/sales", token, map[string]any{"sales": tt.sales}, &e); st != tt.status || e.Error != tt.code || e.Message == "" {
				t.Fatalf("status %d %+v, want %d %s", st, e, tt.status, tt.code)
			}
			if n := countRows(t, p, "SELECT COUNT(*) FROM sales"); n != 0 {
				t.Fatalf("%d sales stored from a rejected batch", n)
			}
		})
	}
	// Exactly 500 is allowed.
	var ans salesAnswer
	if st := p.call(t, "POST", "/api/v1/sales", token, map[string]any{"sales": big[:portal.MaxBatch]}, &ans); st != 200 || len(ans.Results) != portal.MaxBatch {
		t.Fatalf("500 sales: status %d, %d results", st, len(ans.Results))
	}
}

func TestSaleUnknownFieldsKept(t *testing.T) { testSaleUnknownFieldsKept(t, startPortal(t)) }

func testSaleUnknownFieldsKept(t *testing.T, p *testPortal) {
	demo := p.seed(t)
	token := p.activate(t, demo.Tills[0].ActivationCode)
	s := sale(demo.Tills[0].ID, 500)
	s["loyalty"] = map[string]any{"card": "L-77", "points": 5}
	s["payments"] = []any{map[string]any{"method": "coverflex", "amount_cents": 500, "terminal_id": "12345678",
		"masked_pan": "****1234", "future_field": true}}
	raw, _ := json.Marshal(map[string]any{"sales": []any{s}})
	if st := p.call(t, "POST", "/api/v1/sales", token, raw, nil); st != 200 {
		t.Fatalf("status %d", st)
	}
	body, err := p.Store.SaleBody(context.Background(), demo.AccountID, s["id"].(string))
	if err != nil {
		t.Fatal(err)
	}
	var kept map[string]any
	json.Unmarshal(body, &kept)
	if kept["loyalty"] == nil || !strings.Contains(string(body), `"future_field":true`) {
		t.Fatalf("unknown fields lost: %s", body)
	}
}

// TestSameBatchConcurrently is a till retrying while its first attempt is still in flight:
// each sale is stored exactly once and reported stored exactly once.
func TestSameBatchConcurrently(t *testing.T) { testSameBatchConcurrently(t, startPortal(t)) }

func testSameBatchConcurrently(t *testing.T, p *testPortal) {
	demo := p.seed(t)
	token := p.activate(t, demo.Tills[0].ActivationCode)
	batch := make([]any, 50)
	for i := range batch {
		batch[i] = sale(demo.Tills[0].ID, int64(100+i))
	}
	const senders = 4
	body, _ := json.Marshal(map[string]any{"sales": batch})
	type answer struct {
		salesAnswer
		err error
	}
	answers := make(chan answer, senders)
	for range senders {
		go func() {
			var a answer
			req, _ := http.NewRequest("POST", p.URL+"/api/v1/sales", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				a.err = err
			} else {
				a.err = json.NewDecoder(resp.Body).Decode(&a.salesAnswer)
				resp.Body.Close()
			}
			answers <- a
		}()
	}
	stored := map[string]int{}
	for range senders {
		ans := <-answers
		if ans.err != nil {
			t.Fatal(ans.err)
		}
		if len(ans.Results) != len(batch) {
			t.Fatalf("%d results", len(ans.Results))
		}
		for _, r := range ans.Results {
			if r.Status == "stored" {
				stored[r.ID]++
			}
		}
	}
	if len(stored) != len(batch) {
		t.Fatalf("%d sales reported stored, want %d", len(stored), len(batch))
	}
	for id, n := range stored {
		if n != 1 {
			t.Fatalf("sale %s reported stored %d times", id, n)
		}
	}
	if n := countRows(t, p, "SELECT COUNT(*) FROM sales"); n != len(batch) {
		t.Fatalf("%d rows, want %d", n, len(batch))
	}
}

func TestSameSaleTwiceInOneBatch(t *testing.T) { testSameSaleTwiceInOneBatch(t, startPortal(t)) }

func testSameSaleTwiceInOneBatch(t *testing.T, p *testPortal) {
	demo := p.seed(t)
	token := p.activate(t, demo.Tills[0].ActivationCode)
	a, b := sale(demo.Tills[0].ID, 100), sale(demo.Tills[0].ID, 200)
	a["payments"] = []any{map[string]any{"method": "cash", "amount_cents": 60}, map[string]any{"method": "card", "amount_cents": 40}}
	var ans salesAnswer
	if st := p.call(t, "POST", "/api/v1/sales", token, map[string]any{"sales": []any{a, b, a}}, &ans); st != 200 {
		t.Fatalf("status %d", st)
	}
	want := []string{"stored", "stored", "duplicate"}
	for i, r := range ans.Results {
		if r.Status != want[i] {
			t.Fatalf("results %+v, want %v", ans.Results, want)
		}
	}
	if n := countRows(t, p, "SELECT COUNT(*) FROM sale_payments"); n != 3 {
		t.Fatalf("%d payments stored, want 3", n)
	}
}
