package ecr17

import (
	"bytes"
	"io"
	"testing"
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
