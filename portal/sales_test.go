package portal

import (
	"encoding/json"
	"testing"
)

// FuzzParseSale feeds outside bytes to the sale parser: it must never panic, and a sale it
// accepts must carry the sending till's id and an integer total, and no line discount below 0
// or over its line.
func FuzzParseSale(f *testing.F) {
	f.Add([]byte(`{"id":"01900000-0000-7000-8000-000000000000","till_id":"t1","created_at":"2026-01-02T10:00:00Z","total_cents":150,"payments":[{"method":"cash","amount_cents":150}]}`))
	f.Add([]byte(`{"id":"x","total_cents":1.5}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"payments":[null]}`))
	f.Add([]byte(`{"id":"01900000-0000-7000-8000-000000000000","till_id":"t1","created_at":"2026-01-02T10:00:00Z","total_cents":112,"lines":[{"quantity_milli":335,"unit_cents":399,"discount_cents":22}],"payments":[{"method":"cash","amount_cents":112}]}`))
	till := TillIdentity{TillID: "t1", SalesPointID: "sp", AccountID: "a"}
	f.Fuzz(func(t *testing.T, raw []byte) {
		p, err := parseSale(0, json.RawMessage(raw), till)
		if err != nil {
			return
		}
		if p.TillID != "t1" || p.TotalCents == nil || p.created.IsZero() {
			t.Fatalf("accepted %q as %+v", raw, p.saleFields)
		}
		for _, l := range p.Lines {
			if d := l.DiscountCents; d != nil && (*d < 0 || *d > (*l.QuantityMilli**l.UnitCents+500)/1000) {
				t.Fatalf("accepted a line discount of %d on %d × %d: %q", *d, *l.QuantityMilli, *l.UnitCents, raw)
			}
		}
	})
}

func TestETagMatches(t *testing.T) {
	tests := []struct {
		header string
		want   bool
	}{
		{`"7"`, true}, {`W/"7"`, true}, {`"6", "7"`, true}, {`*`, true}, {`"6"`, false}, {`7`, false}, {``, false},
	}
	for _, tt := range tests {
		if got := etagMatches(tt.header, `"7"`); got != tt.want {
			t.Errorf("If-None-Match %q: %v, want %v", tt.header, got, tt.want)
		}
	}
}
