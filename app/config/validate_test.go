package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"

	"till/pos/link"
)

// linkCases are every link form the rule knows, accepted and refused. The portal's tests
// register the accepted ones and check the till parses the document it then serves.
var linkCases = []struct {
	link string
	ok   bool
}{
	{"tcp://192.168.1.50:9100", true},
	{"tcp://pos-banco.local:9100", true},
	{"tcp://[fe80::1]:9100", true},
	{"tcp://10.0.0.9:1", true},
	{"tcp://10.0.0.9:65535", true},
	{"serial:///dev/ttyUSB0", true},
	{"serial:///dev/ttyUSB0?baud=9600", true},
	{"serial:///dev/ttyS1?baud=115200&parity=even", true},
	{"serial:///dev/ttyACM0?parity=odd&baud=1200", true},
	{"serial:///dev/ttyUSB1?parity=none", true},
	{"serial:///dev/serial/by-id/usb-Ingenico_EMW-if00", true},

	{"", false},
	{"192.168.1.50:9100", false},
	{"http://192.168.1.50:9100", false},
	{"tcp://10.0.0.9", false},
	{"tcp://10.0.0.9:", false},
	{"tcp://:9100", false},
	{"tcp://h:0", false},
	{"tcp://h:65536", false},
	{"tcp://h:99999", false},
	{"tcp://h:port", false},
	{"tcp:h:9100", false},
	{"tcp://h:9100/", false},
	{"tcp://h:9100/pos", false},
	{"tcp://h:9100?timeout=5", false},
	{"tcp://h:9100#x", false},
	{"tcp://user@h:9100", false},
	{"serial://ttyUSB0", false},
	{"serial://dev/ttyUSB0", false},
	{"serial:/dev/ttyUSB0", false},
	{"serial:dev/ttyUSB0", false},
	{"serial://", false},
	{"serial:///", false},
	{"serial:///dev/", false},
	{"serial:///dev/../ttyUSB0", false},
	{"serial:///dev/ttyUSB0?baud=0", false},
	{"serial:///dev/ttyUSB0?baud=-9600", false},
	{"serial:///dev/ttyUSB0?baud=96000", false},
	{"serial:///dev/ttyUSB0?baud=fast", false},
	{"serial:///dev/ttyUSB0?baud=", false},
	{"serial:///dev/ttyUSB0?baud=9600&baud=19200", false},
	{"serial:///dev/ttyUSB0?parity=mark", false},
	{"serial:///dev/ttyUSB0?stop=2", false},
	{"serial:///dev/ttyUSB0#x", false},
}

func TestLinkRuleIsTheOneTheTillDialsWith(t *testing.T) {
	for _, tc := range linkCases {
		t.Run(tc.link, func(t *testing.T) {
			err := ValidLink(tc.link)
			if (err == nil) != tc.ok {
				t.Fatalf("ValidLink = %v, want accepted %v", err, tc.ok)
			}
			if _, perr := link.Parse(tc.link); (perr == nil) != tc.ok || (perr != nil && !errors.Is(perr, link.ErrBadLink)) {
				t.Fatalf("link.Parse = %v, but ValidLink = %v", perr, err)
			}
			// The same rule holds inside a document, for a Coverflex device and for another model.
			for _, i := range []int{0, 2} {
				d := withOtherModel(t)
				d.PaymentDevices[i].Link = tc.link
				got, err := parseAgain(d)
				if tc.ok {
					if err != nil || got.PaymentDevices[i].Link != tc.link {
						t.Fatalf("device %d: Parse = %v", i, err)
					}
					continue
				}
				wantField(t, err, fmt.Sprintf("payment_devices[%d].link", i), "format")
			}
		})
	}
}

// withOtherModel is the spec example with a third device of another model, enabled on till-1.
func withOtherModel(t *testing.T) *Document {
	t.Helper()
	d := example(t)
	d.PaymentDevices = append(d.PaymentDevices, Device{ID: "dev-3", Name: "POS Nexi", Model: "Verifone V240m",
		Link: "tcp://192.168.1.60:9100", EnabledTills: []string{"till-1"}, Profile: map[string]string{"host": "nexi"}})
	return d
}

func parseAgain(d *Document) (*Document, error) {
	data, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	got, err := Parse(data)
	if err == nil {
		err = Check(got)
	}
	return got, err
}

func wantField(t *testing.T, err error, field, code string) {
	t.Helper()
	var fe *FieldError
	if !errors.As(err, &fe) || !errors.Is(err, ErrInvalid) || fe.Field != field || fe.Code != code {
		t.Fatalf("error %v, want %s refused with code %q", err, field, code)
	}
}

func TestDeviceOfAnotherModelIsKeptButNeverOfferedForCoverflex(t *testing.T) {
	for _, model := range []string{"Verifone V240m", "Nexi SmartPOS", "Ingenico EMW", "ingenico_emw"} {
		t.Run(model, func(t *testing.T) {
			d := withOtherModel(t)
			d.PaymentDevices[2].Model = model
			got, err := parseAgain(d)
			if err != nil {
				t.Fatalf("a document listing a %s is refused: %v", model, err)
			}
			if len(got.PaymentDevices) != 3 || got.PaymentDevices[2].Model != model || CoverflexModel(model) {
				t.Fatalf("devices %+v", got.PaymentDevices)
			}
			a := Coverflex(got)
			var ids []string
			for _, dev := range a.Terminals {
				ids = append(ids, dev.ID)
			}
			if !a.Offered || !slices.Equal(ids, []string{"dev-1", "dev-2"}) {
				t.Fatalf("availability %+v, want Coverflex on dev-1 and dev-2 only", a)
			}
		})
	}
	// The other model alone on this till does not make Coverflex offered here.
	d := withOtherModel(t)
	d.PaymentDevices[0].EnabledTills = []string{"till-2"}
	d.PaymentDevices[1].EnabledTills = nil
	if a := Coverflex(d); a.Offered || !slices.Equal(a.Failing, []Condition{TerminalForTill}) || len(a.Terminals) != 0 {
		t.Fatalf("only a Verifone on till-1: %+v", a)
	}
	d.PaymentDevices[2].TerminalID = "55556666"
	if ts := d.TerminalsFor("till-1"); len(ts) != 0 {
		t.Fatalf("a Verifone with a Terminal ID is a terminal of till-1: %+v", ts)
	}
}

func TestDeviceOfAnotherModelIsStillChecked(t *testing.T) {
	tests := []struct {
		name   string
		change func(dev *Device)
		field  string
		code   string
	}{
		{"no model", func(dev *Device) { dev.Model = "" }, "payment_devices[2].model", "missing"},
		{"no link", func(dev *Device) { dev.Link = "" }, "payment_devices[2].link", "format"},
		{"link without port", func(dev *Device) { dev.Link = "tcp://192.168.1.60" }, "payment_devices[2].link", "format"},
		{"malformed terminal id", func(dev *Device) { dev.TerminalID = "1234" }, "payment_devices[2].terminal_id", "format"},
		{"terminal id of the Ingenico", func(dev *Device) { dev.TerminalID = "12345678" }, "payment_devices[2].terminal_id", "duplicate"},
		{"unknown till", func(dev *Device) { dev.EnabledTills = []string{"till-1", "till-9"} }, "payment_devices[2].enabled_tills[1]", "unknown_till"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := withOtherModel(t)
			tt.change(&d.PaymentDevices[2])
			_, err := parseAgain(d)
			wantField(t, err, tt.field, tt.code)
		})
	}
	// Without a Terminal ID and with its own terminal_id it is well-formed.
	d := withOtherModel(t)
	d.PaymentDevices[2].TerminalID = "55556666"
	if _, err := parseAgain(d); err != nil {
		t.Fatal(err)
	}
}

func TestDeviceValidateNamesItsOwnField(t *testing.T) {
	good := Device{ID: "dev-1", Name: "POS banco", Model: ModelEMW, TerminalID: "12345678", Link: "tcp://192.168.1.50:9100"}
	tests := []struct {
		name   string
		change func(dev *Device)
		field  string
		code   string
	}{
		{"valid", func(dev *Device) {}, "", ""},
		{"other model without a terminal id", func(dev *Device) { dev.Model, dev.TerminalID = "Verifone V240m", "" }, "", ""},
		{"no model", func(dev *Device) { dev.Model = "" }, "model", "missing"},
		{"coverflex model without a terminal id", func(dev *Device) { dev.TerminalID = "" }, "terminal_id", "missing"},
		{"terminal id of 9 digits", func(dev *Device) { dev.TerminalID = "123456789" }, "terminal_id", "format"},
		{"tcp link without port", func(dev *Device) { dev.Link = "tcp://10.0.0.9" }, "link", "format"},
		{"tcp link on port 0", func(dev *Device) { dev.Link = "tcp://h:0" }, "link", "format"},
		{"serial link without three slashes", func(dev *Device) { dev.Link = "serial://ttyUSB0" }, "link", "format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dev := good
			tt.change(&dev)
			err := dev.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v", err)
				}
				return
			}
			wantField(t, err, tt.field, tt.code)
		})
	}
}
