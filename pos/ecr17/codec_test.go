package ecr17

import (
	"bytes"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"till/money"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// The worked frames of the spec (TID 12345678, ECR id 00000001), written out by hand so
// the encoder is checked against the document and not against itself.
var workedPayloads = map[string]string{
	"frame1_status":   "123456780s",
	"frame3_pay":      "123456780P" + "00000001" + "0" + "00" + "0" + "0" + "00000650" + strings.Repeat(" ", 128) + "00000000",
	"frame5_approved": "123456780E00" + "000411111******1111" + "CLI" + "A1B2C3" + "0401530" + "2" + "00000000003" + "000042" + "000099",
	"frame7_reverse":  "123456780S" + "00000001" + "000000" + "0" + "0",
	"frame8_last":     "123456780G" + "00000001" + "0" + "000",
}

func TestWorkedFramesMatchSpecByteForByte(t *testing.T) {
	approved := Response{Code: 'E', TerminalID: "12345678", Result: "00", PAN: "411111******1111",
		EntryMode: "CLI", AuthCode: "A1B2C3", HostDateTime: "0401530", CardType: "2",
		AcquirerID: "3", STAN: "000042", OperationNumber: "000099"}
	for _, tc := range []struct {
		name    string
		encode  func() ([]byte, error)
		wantLRC byte
	}{
		{"frame1_status", Request{Code: 's', TerminalID: "12345678"}.Payload, 0x35},
		{"frame3_pay", Request{Code: 'P', TerminalID: "12345678", ECRID: "00000001", Amount: 650}.Payload, 0x24},
		{"frame5_approved", approved.Payload, 0x34},
		{"frame7_reverse", Request{Code: 'S', TerminalID: "12345678", ECRID: "00000001", STAN: "000000"}.Payload, 0x14},
		{"frame8_last", Request{Code: 'G', TerminalID: "12345678", ECRID: "00000001"}.Payload, 0x00},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := tc.encode()
			if err != nil {
				t.Fatal(err)
			}
			if string(p) != workedPayloads[tc.name] {
				t.Fatalf("payload\n got %q\nwant %q", p, workedPayloads[tc.name])
			}
			frame := AppendFrame(nil, LRCSTXETX, p)
			want := append(append([]byte{STX}, workedPayloads[tc.name]...), ETX, tc.wantLRC)
			if !bytes.Equal(frame, want) {
				t.Fatalf("frame LRC %#02x, want %#02x", frame[len(frame)-1], tc.wantLRC)
			}
			golden(t, tc.name, frame)
		})
	}
}

func TestLRCModesOfStatusFrame(t *testing.T) {
	for _, tc := range []struct {
		mode LRCMode
		want byte
	}{{LRCSTXETX, 0x35}, {LRCETX, 0x37}, {LRCPayload, 0x34}} {
		if got := LRC(tc.mode, []byte("123456780s")); got != tc.want {
			t.Errorf("%s: LRC %#02x, want %#02x", tc.mode, got, tc.want)
		}
		golden(t, "frame1_status_lrc_"+tc.mode.String(), AppendFrame(nil, tc.mode, []byte("123456780s")))
	}
}

func TestControlFramesAreTheSpecBytes(t *testing.T) {
	if !bytes.Equal(ACKFrame(), []byte{0x06, 0x03, 0x7A}) || !bytes.Equal(NAKFrame(), []byte{0x15, 0x03, 0x69}) {
		t.Fatalf("ACK % x NAK % x", ACKFrame(), NAKFrame())
	}
	// ACK and NAK carry an LRC of their own in the etx mode: 0x7F ^ code ^ ETX.
	if LRC(LRCETX, []byte{ACK}) != 0x7A || LRC(LRCETX, []byte{NAK}) != 0x69 {
		t.Fatal("ACK/NAK LRC does not follow the etx rule")
	}
	want := "\x01INSERIRE CARTA      \x04"
	if got := string(ProgressFrame("INSERIRE CARTA")); got != want {
		t.Fatalf("progress %q, want %q", got, want)
	}
	golden(t, "frame4_progress", ProgressFrame("INSERIRE CARTA"))
}

// golden compares b with testdata/NAME.hex, or rewrites it under -update.
func golden(t *testing.T, name string, b []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".hex")
	got := hex.EncodeToString(b) + "\n"
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update)", err, t.Name())
	}
	if got != string(want) {
		t.Fatalf("%s:\n got %s want %s", path, got, want)
	}
}

func TestRequestsRoundTrip(t *testing.T) {
	for _, r := range []Request{
		{Code: 's', TerminalID: "12345678"},
		{Code: 'P', TerminalID: "12345678", ECRID: "00000001", Amount: 650, PayType: 2, CardInserted: true, ReceiptFoot: "GRAZIE E ARRIVEDERCI", STAN: "000000"},
		{Code: 'P', TerminalID: "00000000", ECRID: "99999999", Amount: 99_999_999, STAN: "000000"},
		{Code: 'S', TerminalID: "12345678", ECRID: "00000001", STAN: "000042"},
		{Code: 'G', TerminalID: "12345678", ECRID: "00000001", STAN: "000000"},
		{Code: 'T', TerminalID: "12345678", ECRID: "00000001", STAN: "000000"},
		{Code: 'C', TerminalID: "12345678", ECRID: "00000001", STAN: "000000"},
		{Code: 'E', TerminalID: "12345678", ReceiptsOn: true, STAN: "000000"},
	} {
		p, err := r.Payload()
		if err != nil {
			t.Fatalf("%c: %v", r.Code, err)
		}
		got, err := DecodeRequest(p)
		if err != nil {
			t.Fatalf("%c: %v", r.Code, err)
		}
		// Fields a layout does not carry come back empty; compare only what it carries.
		if !strings.ContainsRune("sE", rune(r.Code)) {
			if got.ECRID != r.ECRID {
				t.Errorf("%c: ECR id %q", r.Code, got.ECRID)
			}
		}
		if r.Code != 'S' {
			got.STAN = r.STAN
		}
		if r.Code == 's' || r.Code == 'E' {
			got.ECRID = r.ECRID
		}
		if got != r {
			t.Errorf("round trip %c\n got %+v\nwant %+v", r.Code, got, r)
		}
	}
}

func TestResponsesRoundTrip(t *testing.T) {
	for _, r := range []Response{
		{Code: 'E', TerminalID: "12345678", Result: "00", PAN: "000411111******1111", EntryMode: "ICC", AuthCode: "123456", HostDateTime: "3321015", CardType: "1", AcquirerID: "00000000003", STAN: "000043", OperationNumber: "000100"},
		{Code: 'E', TerminalID: "12345678", Result: "01", Text: "FONDI INSUFFICIENTI", CardType: "2", AcquirerID: "00000000003", STAN: "000044", OperationNumber: "000101"},
		{Code: 's', TerminalID: "12345678", DateTime: "2711260250", Status: 2, Release: "SIM 1.0"},
		{Code: 'T', TerminalID: "12345678", Result: "00", TerminalTotal: 123456},
		{Code: 'C', TerminalID: "12345678", Result: "00", TerminalTotal: 650, HostTotal: 650},
		{Code: 'C', TerminalID: "12345678", Result: "01", Text: "HOST NON RAGGIUNGIB", ActionCode: "907"},
		{Code: 'S', TerminalID: "12345678", Text: "NEGOZIO\x7dTOTALE 6,50\x7d\x1b"},
	} {
		p, err := r.Payload()
		if err != nil {
			t.Fatalf("%c%s: %v", r.Code, r.Result, err)
		}
		got, err := DecodeResponse(p)
		if err != nil {
			t.Fatalf("%c%s: %v", r.Code, r.Result, err)
		}
		if got != r {
			t.Errorf("round trip %c%s\n got %+v\nwant %+v", r.Code, r.Result, got, r)
		}
	}
}

func TestEncodeRejectsValuesThatDoNotFit(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    Request
	}{
		{"letters in TID", Request{Code: 's', TerminalID: "1234567A"}},
		{"TID too long", Request{Code: 's', TerminalID: "123456789"}},
		{"negative amount", Request{Code: 'P', TerminalID: "12345678", ECRID: "1", Amount: -1}},
		{"amount over 8 digits", Request{Code: 'P', TerminalID: "12345678", ECRID: "1", Amount: money.Cents(100_000_000)}},
		{"foot too long", Request{Code: 'P', TerminalID: "12345678", ECRID: "1", Amount: 1, ReceiptFoot: strings.Repeat("x", 129)}},
		{"unknown code", Request{Code: 'Z', TerminalID: "12345678"}},
	} {
		if p, err := tc.r.Payload(); err == nil {
			t.Errorf("%s: encoded %q, want an error", tc.name, p)
		}
	}
}

func TestDecodeRejectsMalformedPayloads(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    string
	}{
		{"empty", ""},
		{"short header", "12345678"},
		{"unknown code", "123456780Z"},
		{"short payment", "123456780P00000001"},
		{"letters in amount", "123456780P" + "00000001" + "0000" + "0000A650" + strings.Repeat(" ", 128) + "00000000"},
	} {
		if r, err := DecodeRequest([]byte(tc.p)); err == nil {
			t.Errorf("%s: decoded %+v", tc.name, r)
		}
	}
	for _, p := range []string{"", "123456780X", "123456780T0", "123456780s0000000000"} {
		if r, err := DecodeResponse([]byte(p)); err == nil {
			t.Errorf("response %q: decoded %+v", p, r)
		}
	}
}
