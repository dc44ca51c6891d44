package config

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"testing"
)

func example(t *testing.T) *Document {
	t.Helper()
	data, err := os.ReadFile("testdata/spec-example.json")
	if err != nil {
		t.Fatal(err)
	}
	d, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestParseTheSpecExample(t *testing.T) {
	d := example(t)
	if d.Version != 42 || d.Till.ID != "till-1" || len(d.PaymentDevices) != 2 || d.PaymentDevices[1].Model != ModelEMWIT {
		t.Fatalf("parsed %+v", d)
	}
	a := Coverflex(d)
	if !a.Offered || len(a.Failing) != 0 || len(a.Terminals) != 2 {
		t.Fatalf("availability %+v", a)
	}
}

func TestRejectsMalformedDocumentsNamingTheField(t *testing.T) {
	tests := []struct {
		name   string
		change func(d *Document)
		field  string
		code   string
	}{
		{"wrong format", func(d *Document) { d.Format = 2 }, "format", "format"},
		{"missing model", func(d *Document) { d.PaymentDevices[1].Model = "" }, "payment_devices[1].model", "missing"},
		{"missing terminal id", func(d *Document) { d.PaymentDevices[0].TerminalID = "" }, "payment_devices[0].terminal_id", "missing"},
		{"terminal id not 8 digits", func(d *Document) { d.PaymentDevices[0].TerminalID = "1234567A" }, "payment_devices[0].terminal_id", "format"},
		{"duplicate terminal ids", func(d *Document) { d.PaymentDevices[1].TerminalID = "12345678" }, "payment_devices[1].terminal_id", "duplicate"},
		{"device enabled for an unknown till", func(d *Document) { d.PaymentDevices[0].EnabledTills = []string{"till-1", "till-9"} },
			"payment_devices[0].enabled_tills[1]", "unknown_till"},
		{"this till is not one of tills", func(d *Document) { d.Till.ID = "till-3" }, "till.id", "unknown_till"},
		{"missing till", func(d *Document) { d.Till.ID = "" }, "till.id", "missing"},
		{"merchant id too long", func(d *Document) { d.SalesPoint.CoverflexMerchantID = "X123456789012345678901234567890123" },
			"sales_point.coverflex_merchant_id", "format"},
		{"merchant id not printable", func(d *Document) { d.SalesPoint.CoverflexMerchantID = "CFX\n01" }, "sales_point.coverflex_merchant_id", "format"},
		{"bad link", func(d *Document) { d.PaymentDevices[0].Link = "192.168.1.50:9100" }, "payment_devices[0].link", "format"},
		{"tcp link without port", func(d *Document) { d.PaymentDevices[0].Link = "tcp://pos.local" }, "payment_devices[0].link", "format"},
		{"serial link without three slashes", func(d *Document) { d.PaymentDevices[1].Link = "serial://ttyUSB0" }, "payment_devices[1].link", "format"},
		{"duplicate till ids", func(d *Document) { d.Tills = append(d.Tills, Till{ID: "till-2"}) }, "tills[2].id", "duplicate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := example(t)
			tt.change(d)
			data, _ := json.Marshal(d)
			got, err := Parse(data)
			var fe *FieldError
			if got != nil || !errors.As(err, &fe) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("Parse = %v, %v", got, err)
			}
			if fe.Field != tt.field || fe.Code != tt.code {
				t.Fatalf("field %q code %q, want %q %q (%v)", fe.Field, fe.Code, tt.field, tt.code, err)
			}
		})
	}
	if _, err := Parse([]byte(`{"format": 1, "version": `)); err == nil || err.(*FieldError).Code != "json" {
		t.Fatalf("truncated JSON: %v", err)
	}
}

func TestCoverflexOfferedExactlyWhenTheFourConditionsHold(t *testing.T) {
	tests := []struct {
		name    string
		change  func(d *Document)
		failing []Condition
		count   int
	}{
		{"all hold", func(d *Document) {}, nil, 2},
		{"account off", func(d *Document) { d.Account.CoverflexEnabled = false }, []Condition{AccountEnabled}, 2},
		{"sales point hidden", func(d *Document) { d.SalesPoint.CoverflexVisible = false }, []Condition{SalesPointVisible}, 2},
		{"no merchant id", func(d *Document) { d.SalesPoint.CoverflexMerchantID = "" }, []Condition{MerchantIDSet}, 2},
		{"blank merchant id", func(d *Document) { d.SalesPoint.CoverflexMerchantID = "   " }, []Condition{MerchantIDSet}, 2},
		{"no device for this till", func(d *Document) {
			d.PaymentDevices[0].EnabledTills = []string{"till-2"}
			d.PaymentDevices[1].EnabledTills = nil
		}, []Condition{TerminalForTill}, 0},
		{"one device for this till", func(d *Document) { d.PaymentDevices[1].EnabledTills = []string{"till-2"} }, nil, 1},
		{"no devices at all", func(d *Document) { d.PaymentDevices = nil }, []Condition{TerminalForTill}, 0},
		{"everything off", func(d *Document) {
			d.Account.CoverflexEnabled, d.SalesPoint.CoverflexVisible, d.SalesPoint.CoverflexMerchantID = false, false, ""
			d.PaymentDevices = nil
		}, Conditions, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := example(t)
			tt.change(d)
			a := Coverflex(d)
			if a.Offered != (len(tt.failing) == 0) || !reflect.DeepEqual(a.Failing, tt.failing) || len(a.Terminals) != tt.count {
				t.Fatalf("availability %+v, want failing %v and %d terminals", a, tt.failing, tt.count)
			}
		})
	}
	if a := Coverflex(nil); a.Offered || len(a.Failing) != 4 {
		t.Fatalf("no configuration: %+v", a)
	}
}

func FuzzParse(f *testing.F) {
	data, _ := os.ReadFile("testdata/spec-example.json")
	f.Add(data)
	f.Add([]byte(`{"format":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(data)
		if err == nil {
			if d.Validate() != nil {
				t.Fatal("a parsed document does not validate")
			}
			Coverflex(d)
		}
	})
}
