package pos

import (
	"strings"
	"testing"
	"time"
)

func TestProfileForKnowsBothModelsExactly(t *testing.T) {
	for _, tc := range []struct {
		model   string
		wantErr bool
		ack     time.Duration
	}{
		{"Ingenico_EMW", false, 3 * time.Second},
		{"Ingenico EMW_IT", false, 5 * time.Second},
		{"Ingenico_EMW_IT", true, 0},
		{"ingenico_emw", true, 0},
	} {
		p, err := ProfileFor(tc.model)
		if (err != nil) != tc.wantErr {
			t.Fatalf("%q: err = %v", tc.model, err)
		}
		if err == nil && (p.Model != tc.model || p.AckTimeout != tc.ack || p.LRCMode != LRCSTXETX) {
			t.Errorf("%q: got %+v", tc.model, p)
		}
	}
}

func TestProfileOverridesApplyAndRejectBadValues(t *testing.T) {
	base, _ := ProfileFor(ModelIngenicoEMW)
	for _, tc := range []struct {
		name    string
		in      map[string]string
		errHas  string
		checkFn func(Profile) bool
	}{
		{"all", map[string]string{"lrc": "etx", "ack_timeout": "200ms", "result_timeout": "1s", "connect_timeout": "2s", "receipts": "si", "retransmits": "2"}, "",
			func(p Profile) bool {
				return p.LRCMode == "etx" && p.AckTimeout == 200*time.Millisecond && p.ResultTimeout == time.Second &&
					p.ConnectTimeout == 2*time.Second && p.ReceiptsOnTill && p.Retransmits == 2
			}},
		{"bad lrc", map[string]string{"lrc": "xor"}, "want stx-etx, etx or payload", nil},
		{"bad duration", map[string]string{"ack_timeout": "3"}, "ack_timeout=\"3\"", nil},
		{"negative", map[string]string{"result_timeout": "-1s"}, "between", nil},
		{"bad bool", map[string]string{"receipts": "maybe"}, "true or false", nil},
		{"unknown key", map[string]string{"baud": "9600"}, "unknown key \"baud\"", nil},
		{"retransmits range", map[string]string{"retransmits": "9"}, "0 to 3", nil},
	} {
		p, err := base.With(tc.in)
		if tc.errHas != "" {
			if err == nil || !strings.Contains(err.Error(), tc.errHas) {
				t.Errorf("%s: err = %v, want containing %q", tc.name, err, tc.errHas)
			}
			continue
		}
		if err != nil || !tc.checkFn(p) {
			t.Errorf("%s: got %+v, %v", tc.name, p, err)
		}
	}
}
