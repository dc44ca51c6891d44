package portal_test

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"till/money"
	"till/portal"
	"till/storage"
)

// postSales sends a batch and returns the status, the results and the error, if any.
func postSales(t *testing.T, p *testPortal, token string, body any) (int, []portal.SaleResult, apiError) {
	t.Helper()
	st, _, data := p.raw(t, "POST", "/api/v1/sales", token, body)
	var ans struct {
		salesAnswer
		apiError
	}
	if err := json.Unmarshal(data, &ans); err != nil {
		t.Fatalf("answer %q: %v", data, err)
	}
	return st, ans.Results, ans.apiError
}

func testSaleIngestRules(t *testing.T, start starter) {
	p := start(t)
	demo := p.seed(t)
	tillID := demo.Tills[0].ID
	token := p.activate(t, demo.Tills[0].ActivationCode)
	pay := func(method string, cents int64) map[string]any {
		return map[string]any{"method": method, "amount_cents": cents}
	}
	max := int64(money.MaxAmount)
	tests := []struct {
		name   string
		edit   func(s map[string]any)
		raw    string // when set, replaces "@NAME@" in the line description byte for byte
		status int
		says   string // in the message
	}{
		{"total over 99.999,99 €", func(s map[string]any) {
			s["total_cents"], s["payments"] = max+1, []any{pay("cash", max), pay("card", 1)}
		}, "", 400, "total_cents must be between 0 and 9999999"},
		{"total of int64's maximum", func(s map[string]any) {
			s["total_cents"], s["payments"] = int64(math.MaxInt64), []any{pay("cash", math.MaxInt64)}
		}, "", 400, "total_cents"},
		{"negative total", func(s map[string]any) { s["total_cents"], s["payments"] = -100, []any{pay("cash", -100)} }, "", 400, "total_cents"},
		{"payment of zero", func(s map[string]any) { s["payments"] = []any{pay("cash", 100), pay("card", 0)} }, "", 400, "payments[1].amount_cents"},
		{"payment over the limit", func(s map[string]any) {
			s["payments"] = []any{pay("cash", max+1), pay("card", 100-max-1)}
		}, "", 400, "payments[0].amount_cents"},
		{"payments short of the total", func(s map[string]any) { s["payments"] = []any{pay("cash", 90)} }, "", 400, "add up to 90 cents, the total is 100"},
		{"no payments for a total", func(s map[string]any) { s["payments"] = []any{} }, "", 400, "add up to 0 cents"},
		{"unknown method", func(s map[string]any) { s["payments"] = []any{pay("bitcoin", 100)} }, "", 400, "cash, card or coverflex"},
		{"method in capitals", func(s map[string]any) { s["payments"] = []any{pay("CASH", 100)} }, "", 400, "cash, card or coverflex"},
		{"two days in the future", func(s map[string]any) {
			s["created_at"] = time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
		}, "", 400, "check the till's clock"},
		{"before 2020", func(s map[string]any) { s["created_at"] = "2019-12-31T23:59:59Z" }, "", 400, "check the till's clock"},
		{"NUL in a line", nil, "Caff\x00è", 400, "NUL"},
		{"invalid UTF-8 in a line", nil, "Caff\xe8", 400, "UTF-8"},
		{"NUL in a terminal id", func(s map[string]any) {
			s["payments"] = []any{map[string]any{"method": "card", "amount_cents": 100, "terminal_id": "1234\x005678"}}
		}, "", 400, "NUL"},
		{"terminal id of 65 characters", func(s map[string]any) {
			s["payments"] = []any{map[string]any{"method": "card", "amount_cents": 100, "terminal_id": strings.Repeat("1", 65)}}
		}, "", 400, "terminal_id"},
		{"a line discount over the line's gross", func(s map[string]any) { s["lines"] = []any{discounted(2000, 125, 251)} }, "", 400,
			"lines[0].discount_cents: discount_cents 251 is more than the line's 250 cents"},
		{"a negative line discount", func(s map[string]any) { s["lines"] = []any{discounted(1000, 100, -1)} }, "", 400, "lines[0].discount_cents"},
		{"a discounted line without a quantity", func(s map[string]any) {
			l := discounted(1000, 100, 10)
			delete(l, "quantity_milli")
			s["lines"] = []any{discounted(1000, 100, 0), l}
		}, "", 400, "lines[1].discount_cents"},
		// What a till can send is stored.
		{"a line discounted", func(s map[string]any) { s["lines"] = []any{discounted(335, 399, 22)} }, "", 200, ""},
		{"a line discounted to nothing", func(s map[string]any) { s["lines"] = []any{discounted(335, 399, 134), discounted(1000, 100, 0)} }, "", 200, ""},
		{"total at the limit, split", func(s map[string]any) {
			s["total_cents"], s["payments"] = max, []any{pay("card", 9_000_000), pay("cash", max-9_000_000)}
		}, "", 200, ""},
		{"a till's clock an hour ahead", func(s map[string]any) {
			s["created_at"] = time.Now().Add(time.Hour).UTC().Format(time.RFC3339Nano)
		}, "", 200, ""},
		{"the first second of 2020", func(s map[string]any) { s["created_at"] = "2020-01-01T01:00:00+01:00" }, "", 200, ""},
		{"nothing to pay", func(s map[string]any) { s["total_cents"], s["payments"] = 0, nil }, "", 200, ""},
	}
	stored := 0
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sale(tillID, 100)
			if tt.edit != nil {
				tt.edit(s)
			}
			var body any = map[string]any{"sales": []any{sale(tillID, 150), s, sale(tillID, 250)}}
			if tt.raw != "" {
				s["lines"] = []any{map[string]any{"description": "@NAME@", "quantity_milli": 1000, "unit_cents": 100, "department": 1, "vat_rate": 1000}}
				body = rawJSON(t, body, tt.raw)
			}
			st, results, e := postSales(t, p, token, body)
			if st != tt.status {
				t.Fatalf("status %d %+v, want %d", st, e, tt.status)
			}
			if tt.status == 200 {
				stored += 3
				if len(results) != 3 || results[1].Status != "stored" {
					t.Fatalf("results %+v", results)
				}
			} else if e.Error != "invalid_sale" || !strings.Contains(e.Message, "sales[1]") || !strings.Contains(e.Message, tt.says) ||
				!strings.Contains(e.Message, "nothing of this batch was stored") {
				t.Fatalf("error %+v, want invalid_sale naming sales[1] and saying %q", e, tt.says)
			}
			if n := countRows(t, p, "SELECT COUNT(*) FROM sales"); n != stored {
				t.Fatalf("%d sales stored, want %d", n, stored)
			}
		})
	}
}

// discounted is a SALE line with discount_cents, as the till's outbox writes it.
func discounted(qty, unit, discount int64) map[string]any {
	return map[string]any{"description": "Prosciutto", "quantity_milli": qty, "unit_cents": unit, "department": 3, "vat_rate": 400,
		"discount_cents": discount}
}

// testRealTillSaleShapesAccepted sends sales as the till's outbox writes them
// (storage.SaleRecord, till_id filled in by the pusher's re-encoding), so the rules never
// refuse a real till; sent again, they are duplicates.
func testRealTillSaleShapesAccepted(t *testing.T, start starter) {
	p := start(t)
	demo := p.seed(t)
	tillID := demo.Tills[0].ID
	token := p.activate(t, demo.Tills[0].ActivationCode)
	rate, ten := int64(2200), int64(1000)
	now := time.Now().UTC().Format(time.RFC3339Nano)
	records := []storage.SaleRecord{
		{ID: storage.NewID(), CreatedAt: now, TotalCents: 250,
			Lines:    []storage.SaleRecordLine{{Description: "Caffè", QuantityMilli: 2000, UnitCents: 125, Department: 1, VATRate: &rate}},
			Payments: []storage.SaleRecordPay{{Method: "cash", AmountCents: 250}},
			Document: storage.SaleRecordDocument{Kind: "receipt", ZNumber: 12, Number: "0012-0034", PrinterSerial: "99MEY000001"}},
		{ID: storage.NewID(), CreatedAt: now, TotalCents: 1_999_999,
			Lines: []storage.SaleRecordLine{{Description: "Buono pasto & pranzo <menù>", QuantityMilli: 1500, UnitCents: 1_333_333, Department: 2, Nature: "N4"}},
			Payments: []storage.SaleRecordPay{
				{Method: "coverflex", AmountCents: 800, TerminalID: "12345678", MerchantID: "CFX1", MaskedPAN: "****1234", AuthCode: "A1", STAN: "000123", AcquirerID: "COVERFLEX"},
				{Method: "card", AmountCents: 1_999_000, TerminalID: "12345678", MaskedPAN: "************4242", AuthCode: "Z9", STAN: "000124"},
				{Method: "cash", AmountCents: 199}},
			Document: storage.SaleRecordDocument{Kind: "invoice", Number: "7", Year: 2026, XML: `<?xml version="1.0"?><p:FatturaElettronica>àè &amp; ü</p:FatturaElettronica>`}},
		{ID: storage.NewID(), CreatedAt: now, TotalCents: 729, // 5,00 − 0,95 and 3 × 1,20 − 0,36
			Lines: []storage.SaleRecordLine{{Description: "Panino", QuantityMilli: 1000, UnitCents: 500, Department: 2, VATRate: &ten, DiscountCents: 95},
				{Description: "Caffè", QuantityMilli: 3000, UnitCents: 120, Department: 1, VATRate: &rate, DiscountCents: 36}},
			Payments: []storage.SaleRecordPay{{Method: "cash", AmountCents: 729}},
			Document: storage.SaleRecordDocument{Kind: "receipt", ZNumber: 12, Number: "0012-0035", PrinterSerial: "99MEY000001"}},
	}
	batch := make([]json.RawMessage, len(records))
	for i, rec := range records {
		payload, err := json.Marshal(rec) // as queueSale writes the outbox
		if err != nil {
			t.Fatal(err)
		}
		var fields map[string]json.RawMessage // as the pusher's withTillID sends it
		json.Unmarshal(payload, &fields)
		fields["till_id"], _ = json.Marshal(tillID)
		batch[i], _ = json.Marshal(fields)
	}
	for round, want := range []string{"stored", "duplicate"} {
		st, results, e := postSales(t, p, token, map[string]any{"sales": batch})
		if st != 200 || len(results) != len(records) {
			t.Fatalf("round %d: %d %+v", round, st, e)
		}
		for _, r := range results {
			if r.Status != want {
				t.Fatalf("round %d: %+v, want %s", round, results, want)
			}
		}
	}
}

func testSaleIDsAreCaseInsensitive(t *testing.T, start starter) {
	p := start(t)
	demo := p.seed(t)
	token := p.activate(t, demo.Tills[0].ActivationCode)
	s := sale(demo.Tills[0].ID, 700)
	lower := s["id"].(string)
	upper := strings.ToUpper(lower)
	tests := []struct {
		id, status string
	}{{upper, "stored"}, {lower, "duplicate"}, {upper, "duplicate"}}
	for _, tt := range tests {
		s["id"] = tt.id
		st, results, e := postSales(t, p, token, map[string]any{"sales": []any{s}})
		if st != 200 || len(results) != 1 || results[0].Status != tt.status || results[0].ID != tt.id {
			t.Fatalf("sale %s: %d %+v %+v, want %s with the id as sent", tt.id, st, results, e, tt.status)
		}
	}
	if n := countRows(t, p, "SELECT COUNT(*) FROM sales WHERE id = ?", lower); n != 1 || countRows(t, p, "SELECT COUNT(*) FROM sales") != 1 {
		t.Fatalf("the sale is not stored once under its lowercase id")
	}
	br := p.login(t, demo.Email, demo.Password)
	for _, id := range []string{upper, lower} {
		if st, body := br.get("/vendite/" + id); st != 200 || !strings.Contains(body, `"total_cents":700`) {
			t.Errorf("GET /vendite/%s: %d", id, st)
		}
	}
}

// testSameIDOtherContentIsConflict: a sale id already stored, or earlier in the batch, with
// other content is answered 409 and stores nothing of the batch; the same content written
// differently is still a duplicate.
func testSameIDOtherContentIsConflict(t *testing.T, start starter) {
	p := start(t)
	demo, other := p.seed(t), p.seed(t)
	tillID := demo.Tills[0].ID
	token := p.activate(t, demo.Tills[0].ActivationCode)
	token2 := p.activate(t, demo.Tills[1].ActivationCode)
	tokenOther := p.activate(t, other.Tills[0].ActivationCode)
	id := uuid.Must(uuid.NewV7()).String()
	created := time.Now().UTC().Format(time.RFC3339)
	original := fmt.Sprintf(`{"id":%q,"till_id":%q,"created_at":%q,"total_cents":300,"lines":[{"description":"Pane","quantity_milli":1000,"unit_cents":300,"department":1,"vat_rate":400}],"payments":[{"method":"cash","amount_cents":300}]}`,
		id, tillID, created)
	if st, _, e := postSales(t, p, token, []byte(`{"sales":[`+original+`]}`)); st != 200 {
		t.Fatalf("original: %d %+v", st, e)
	}
	// withSale puts a new sale of till before s: a refused batch must not store it either.
	withSale := func(till, s string) []byte {
		fresh, _ := json.Marshal(sale(till, 5))
		return []byte(`{"sales":[` + string(fresh) + `,` + s + `]}`)
	}
	edited := func(old, new string) string { return strings.Replace(original, old, new, 1) }
	newCopy := edited(id, uuid.Must(uuid.NewV7()).String()) // not stored yet
	tests := []struct {
		name   string
		token  string
		body   []byte
		status int
	}{
		{"other total", token, withSale(tillID, strings.NewReplacer(`"total_cents":300`, `"total_cents":310`, `"amount_cents":300`, `"amount_cents":310`).Replace(original)), 409},
		{"other line", token, withSale(tillID, edited(`"Pane"`, `"Pane integrale"`)), 409},
		{"a field more", token, withSale(tillID, edited(`"lines"`, `"note":"x","lines"`)), 409},
		{"two copies in one batch differ", token, []byte(`{"sales":[` + newCopy + `,` + strings.Replace(newCopy, `"Pane"`, `"Pane nero"`, 1) + `]}`), 409},
		{"another till of the account", token2, withSale(demo.Tills[1].ID, edited(tillID, demo.Tills[1].ID)), 409},
		{"another account's till", tokenOther, []byte(`{"sales":[` + edited(tillID, other.Tills[0].ID) + `]}`), 409},
		{"same content, keys reordered and spaced", token, []byte(fmt.Sprintf(`{"sales":[ {"payments":[{"amount_cents":300,"method":"cash"}], "total_cents":300,
			"id":%q, "lines":[{"vat_rate":400,"department":1,"unit_cents":300,"quantity_milli":1000,"description":"Pane"}],
			"created_at":%q, "till_id":%q} ]}`, strings.ToUpper(id), created, tillID)), 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := countRows(t, p, "SELECT COUNT(*) FROM sales")
			st, results, e := postSales(t, p, tt.token, tt.body)
			if st != tt.status {
				t.Fatalf("status %d %+v %+v, want %d", st, results, e, tt.status)
			}
			if st == 200 {
				if len(results) != 1 || results[0].Status != "duplicate" {
					t.Fatalf("results %+v, want duplicate", results)
				}
			} else if e.Error != "sale_conflict" || !strings.Contains(e.Message, "different content") {
				t.Fatalf("error %+v, want sale_conflict", e)
			}
			if after := countRows(t, p, "SELECT COUNT(*) FROM sales"); after != before {
				t.Fatalf("%d sales stored by a refused batch", after-before)
			}
		})
	}
	body, err := p.Store.SaleBody(t.Context(), demo.AccountID, id)
	if err != nil || string(body) != original {
		t.Fatalf("the stored sale changed: %s %v", body, err)
	}
}

// testReportSumsCannotOverflow puts absurd amounts straight into the database, as a portal
// before the ingest rules may have stored them: the sales page still answers, flags the day,
// and sums that fit are exact.
func testReportSumsCannotOverflow(t *testing.T, start starter) {
	p := start(t)
	demo := p.seed(t)
	tillID := demo.Tills[0].ID
	insert := func(day string, total int64, payments ...int64) {
		t.Helper()
		id := uuid.Must(uuid.NewV7()).String()
		_, err := p.Store.SQL().Exec(p.sql(`INSERT INTO sales (id, till_id, sales_point_id, account_id, created_at, business_day,
			total_cents, body, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`), id, tillID, demo.SalesPointID, demo.AccountID,
			day+"T10:00:00.000000000Z", day, total, "{}", day+"T10:00:00Z")
		if err != nil {
			t.Fatal(err)
		}
		for i, cents := range payments {
			if _, err := p.Store.SQL().Exec(p.sql("INSERT INTO sale_payments (sale_id, seq, method, amount_cents) VALUES (?, ?, ?, ?)"),
				id, i, "card", cents); err != nil {
				t.Fatal(err)
			}
		}
	}
	insert("2026-03-01", math.MaxInt64, math.MaxInt64)
	insert("2026-03-01", math.MaxInt64, math.MaxInt64, math.MaxInt64)
	insert("2026-03-02", -7, -7)
	insert("2026-03-02", 1<<32+1, 1<<32+1)
	insert("2026-03-02", -(1<<32 + 3), -(1<<32 + 3))
	br := p.login(t, demo.Email, demo.Password)
	tests := []struct {
		path string
		want []string
	}{
		{"/vendite", []string{"fuori scala", "-0,09 €"}},
		{"/vendite?giorno=2026-03-01", []string{"fuori scala"}},
		{"/vendite?giorno=2026-03-02", []string{"-0,07 €", "42.949.672,97 €", "-42.949.672,99 €"}},
	}
	for _, tt := range tests {
		st, body := br.get(tt.path)
		if st != 200 {
			t.Fatalf("GET %s: %d", tt.path, st)
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s lacks %q", tt.path, w)
			}
		}
	}
	days, err := p.Store.DaySummaries(t.Context(), demo.AccountID, 31)
	if err != nil || len(days) != 2 {
		t.Fatalf("days %+v %v", days, err)
	}
	if d := days[0]; d.TotalCents != -9 || d.ByMethod["card"] != -9 || d.Overflow {
		t.Errorf("2026-03-02: %+v, want -9 cents exactly", d)
	}
	if d := days[1]; d.TotalCents != math.MaxInt64 || !d.Overflow {
		t.Errorf("2026-03-01: %+v, want capped and flagged", d)
	}
}
