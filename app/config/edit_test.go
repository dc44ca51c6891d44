package config

import (
	"errors"
	"reflect"
	"testing"
)

func TestMayReplaceFollowsTheVersionRuleOfEachSource(t *testing.T) {
	tests := []struct {
		name     string
		source   string
		incoming int64
		cached   *Cached
		stale    bool
	}{
		{"anything over an empty cache", SourceBackOffice, 0, nil, false},
		{"a file over a newer copy", SourceFile, 3, &Cached{Version: 42, Source: SourceBackOffice}, false},
		{"a local edit bumping the version", SourceLocalEdit, 43, &Cached{Version: 42, Source: SourceFile}, false},
		{"a local edit of the same version", SourceLocalEdit, 42, &Cached{Version: 42, Source: SourceFile}, true},
		{"a local edit made on an older copy", SourceLocalEdit, 41, &Cached{Version: 42, Source: SourceLocalEdit}, true},
		{"the back office going forward", SourceBackOffice, 43, &Cached{Version: 42, Source: SourceBackOffice}, false},
		{"the back office resending its version", SourceBackOffice, 42, &Cached{Version: 42, Source: SourceBackOffice}, false},
		{"the back office going back", SourceBackOffice, 41, &Cached{Version: 42, Source: SourceBackOffice}, true},
		{"the back office taking over a local edit", SourceBackOffice, 5, &Cached{Version: 42, Source: SourceLocalEdit}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := MayReplace(tt.source, tt.incoming, tt.cached)
			if errors.Is(err, ErrStale) != tt.stale || (!tt.stale && err != nil) {
				t.Fatalf("MayReplace = %v, want stale %v", err, tt.stale)
			}
		})
	}
	if err := MayReplace("usb-stick", 1, nil); err == nil || errors.Is(err, ErrStale) {
		t.Fatalf("unknown source: %v", err)
	}
}

func TestCheckRejectsProfileOverridesThatPosRefuses(t *testing.T) {
	tests := []struct {
		name    string
		profile map[string]string
		wantErr bool
	}{
		{"no overrides", nil, false},
		{"valid overrides", map[string]string{"lrc": "etx", "ack_timeout": "4s", "receipts": "si"}, false},
		{"unknown lrc mode", map[string]string{"lrc": "xyz"}, true},
		{"unknown key", map[string]string{"baud": "9600"}, true},
		{"negative timeout", map[string]string{"result_timeout": "-1s"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := example(t)
			d.PaymentDevices[1].Profile = tt.profile
			err := Check(d)
			var fe *FieldError
			switch {
			case !tt.wantErr && err != nil:
				t.Fatalf("Check = %v", err)
			case tt.wantErr && (!errors.As(err, &fe) || fe.Field != "payment_devices[1].profile" || fe.Code != "profile"):
				t.Fatalf("Check = %v, want a profile error on payment_devices[1]", err)
			}
		})
	}
	d := example(t)
	d.PaymentDevices[0].TerminalID = "123"
	if err := Check(d); err == nil || err.(*FieldError).Field != "payment_devices[0].terminal_id" {
		t.Fatalf("Check does not validate the document first: %v", err)
	}
}

func TestCloneIsIndependentOfTheOriginal(t *testing.T) {
	d := example(t)
	d.PaymentDevices[0].Profile = map[string]string{"lrc": "etx"}
	want := example(t)
	want.PaymentDevices[0].Profile = map[string]string{"lrc": "etx"}
	c := d.Clone()
	c.Tills[0].Name = "changed"
	c.PaymentDevices[0].EnabledTills[0] = "changed"
	c.PaymentDevices[0].Profile["lrc"] = "payload"
	c.PaymentDevices = append(c.PaymentDevices, Device{ID: "dev-3"})
	if !reflect.DeepEqual(d, want) {
		t.Fatalf("original changed through the clone: %+v", d)
	}
}

func TestSetEnabledForKeepsTheOtherTills(t *testing.T) {
	tests := []struct {
		name  string
		start []string
		on    bool
		want  []string
	}{
		{"enable on a device with none", nil, true, []string{"till-1"}},
		{"enable twice", []string{"till-1"}, true, []string{"till-1"}},
		{"enable beside another till", []string{"till-2"}, true, []string{"till-2", "till-1"}},
		{"disable keeps the other till", []string{"till-2", "till-1"}, false, []string{"till-2"}},
		{"disable when not enabled", []string{"till-2"}, false, []string{"till-2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dev := Device{EnabledTills: tt.start}
			dev.SetEnabledFor("till-1", tt.on)
			if !reflect.DeepEqual(dev.EnabledTills, tt.want) || dev.EnabledFor("till-1") != tt.on {
				t.Fatalf("enabled tills %v, want %v", dev.EnabledTills, tt.want)
			}
		})
	}
}

func TestBlankDocumentIsValidAndOffersNothing(t *testing.T) {
	d := Blank()
	if err := Check(d); err != nil {
		t.Fatal(err)
	}
	if a := Coverflex(d); a.Offered || len(a.Failing) != 4 {
		t.Fatalf("blank document: %+v", a)
	}
	d.PaymentDevices = []Device{{ID: "local-2"}}
	if id := d.NewDeviceID(); id != "local-3" {
		t.Fatalf("new device id %q, want local-3 (local-2 is taken)", id)
	}
}
