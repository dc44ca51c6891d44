package ecr17

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"till/pos"
)

func FuzzDecode(f *testing.F) {
	for _, p := range workedPayloads {
		f.Add([]byte(p))
	}
	f.Add([]byte("123456780E01FONDI INSUFFICIENTI"))
	f.Add([]byte("123456780s00000000002711260250" + "2SIM"))
	f.Add([]byte("123456780C01HOST"))
	f.Add([]byte("123456780S\x7d\x1b"))
	f.Fuzz(func(t *testing.T, p []byte) {
		if r, err := DecodeResponse(p); err == nil {
			// Whatever decodes must encode again without a panic.
			_, _ = r.Payload()
		}
		if r, err := DecodeRequest(p); err == nil {
			if _, err := r.Payload(); err != nil && r.Code != 'P' {
				t.Fatalf("decoded request %+v does not encode: %v", r, err)
			}
		}
	})
}

func FuzzReader(f *testing.F) {
	f.Add(AppendFrame(nil, LRCSTXETX, []byte(workedPayloads["frame5_approved"])), uint8(3))
	f.Add(append(ACKFrame(), ProgressFrame("ATTENDERE")...), uint8(1))
	f.Add([]byte{STX, STX, ETX, ETX, SOH, SOH, EOT, NAK, 0}, uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		n := int(chunk%16) + 1
		r := NewReader(&chunkReader{data: data, n: n}, LRCSTXETX)
		frames := 0
		for frames <= len(data) {
			fr, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fr.Kind == FrameApp && (len(fr.Payload) > maxPayload || bytes.IndexByte(fr.Payload, ETX) >= 0) {
				t.Fatalf("bad app frame %q", fr.Payload)
			}
			frames++
		}
		t.Fatalf("%d frames from %d bytes", frames, len(data))
	})
}

// FuzzResult holds the driver to its rules of evidence: whatever resultOf accepts as an
// approval comes from the configured terminal (or the till uses the wildcard id), has a
// 6-digit STAN and a 6-character authorisation code of letters or digits; nothing it
// refuses is reported as approved or declined.
func FuzzResult(f *testing.F) {
	worked := workedPayloads["frame5_approved"]
	f.Add([]byte(worked), false)
	f.Add([]byte(worked[:20]), false)
	f.Add([]byte(worked[:65]), false)
	f.Add([]byte(approvedWith(60, "00A04Z")), false)
	f.Add([]byte(approvedWith(1, "87654321")), false)
	f.Add([]byte(approvedWith(1, "87654321")), true)
	f.Add([]byte(approvedWith(35, "000000")), false)
	f.Add([]byte("123456780E01FONDI INSUFFICIENTI"), false)
	f.Fuzz(func(t *testing.T, p []byte, wildcard bool) {
		tid := "12345678"
		if wildcard {
			tid = wildcardTID
		}
		r, err := resultOf(p, tid, time.Date(2026, 2, 9, 16, 0, 0, 0, time.UTC))
		if err != nil {
			if r.Outcome != pos.Unknown || !errors.Is(err, pos.ErrOutcomeUnknown) {
				t.Fatalf("%q: outcome %s with error %v", p, r.Outcome, err)
			}
			return
		}
		if r.Outcome == pos.Unknown {
			t.Fatalf("%q: unknown outcome without an error", p)
		}
		if !bytes.Equal(r.Raw, p) {
			t.Fatalf("%q: Raw %q", p, r.Raw)
		}
		if !wildcard && (r.TerminalID != tid || string(p[:8]) != tid) {
			t.Fatalf("%q: %s from terminal %q", p, r.Outcome, r.TerminalID)
		}
		if r.Outcome != pos.Approved {
			return
		}
		if len(r.STAN) != 6 || !digits(r.STAN) || string(p[59:65]) != r.STAN {
			t.Fatalf("%q: approved with STAN %q", p, r.STAN)
		}
		if len(r.AuthCode) != 6 || strings.TrimSpace(r.AuthCode) != r.AuthCode || !isAuthCode(string(p[34:40])) {
			t.Fatalf("%q: approved with authorisation code %q", p, r.AuthCode)
		}
	})
}
