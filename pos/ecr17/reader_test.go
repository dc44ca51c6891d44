package ecr17

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// chunkReader hands out its data in fixed-size pieces, like a slow link.
type chunkReader struct {
	data []byte
	n    int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := min(c.n, len(p), len(c.data))
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

func readAll(t *testing.T, r *Reader) []Frame {
	t.Helper()
	var out []Frame
	for range 100 {
		f, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	t.Fatal("reader did not stop")
	return nil
}

func TestReaderSplitsAndJoinsFrames(t *testing.T) {
	status := AppendFrame(nil, LRCSTXETX, []byte("123456780s"))
	last := AppendFrame(nil, LRCSTXETX, []byte(workedPayloads["frame8_last"])) // LRC 0x00
	badLRC := append(AppendFrame(nil, LRCSTXETX, []byte("123456780s"))[:12:12], 0x99)
	var stream []byte
	stream = append(stream, "garbage\x03\x7a"...)
	stream = append(stream, ACKFrame()...)
	stream = append(stream, ProgressFrame("INSERIRE CARTA")...)
	stream = append(stream, status...)
	stream = append(stream, NAKFrame()...)
	stream = append(stream, last...)
	stream = append(stream, badLRC...)
	stream = append(stream, 0x02, 'x', 0x02) // a broken frame then a real one
	stream = append(stream, status[1:]...)
	want := []struct {
		kind    FrameKind
		payload string
		ok      bool
	}{
		{FrameACK, "", false}, {FrameProgress, "INSERIRE CARTA      ", false},
		{FrameApp, "123456780s", true}, {FrameNAK, "", false},
		{FrameApp, workedPayloads["frame8_last"], true}, {FrameApp, "123456780s", false},
		{FrameApp, "123456780s", true},
	}
	for _, chunk := range []int{1, 2, 3, 7, 1000} {
		got := readAll(t, NewReader(&chunkReader{data: stream, n: chunk}, LRCSTXETX))
		if len(got) != len(want) {
			t.Fatalf("chunk %d: %d frames, want %d: %+v", chunk, len(got), len(want), got)
		}
		for i, w := range want {
			g := got[i]
			if g.Kind != w.kind || string(g.Payload) != w.payload || (g.Kind == FrameApp && g.LRCOK != w.ok) {
				t.Errorf("chunk %d frame %d: got %v %q ok=%v, want %v %q ok=%v", chunk, i, g.Kind, g.Payload, g.LRCOK, w.kind, w.payload, w.ok)
			}
		}
	}
}

func TestReaderReadsTheByteAfterETXEvenWhenItIsControl(t *testing.T) {
	// The LRC of frame 8 is 0x00; craft payloads whose LRC is STX and ETX too.
	for _, want := range []byte{0x00, STX, ETX} {
		p := []byte("123456780s")
		p = append(p, 'A'^LRC(LRCSTXETX, append(p, 'A'))^want)
		if LRC(LRCSTXETX, p) != want {
			t.Fatalf("crafted LRC %#x", LRC(LRCSTXETX, p))
		}
		stream := append(AppendFrame(nil, LRCSTXETX, p), ACKFrame()...)
		got := readAll(t, NewReader(iotest.OneByteReader(bytes.NewReader(stream)), LRCSTXETX))
		if len(got) != 2 || !got[0].LRCOK || got[0].LRC != want || got[1].Kind != FrameACK {
			t.Errorf("LRC %#x: got %+v", want, got)
		}
	}
}

// stepReader returns each step once: bytes, or an error.
type stepReader struct{ steps []any }

func (s *stepReader) Read(p []byte) (int, error) {
	if len(s.steps) == 0 {
		return 0, io.EOF
	}
	step := s.steps[0]
	s.steps = s.steps[1:]
	if err, ok := step.(error); ok {
		return 0, err
	}
	return copy(p, step.([]byte)), nil
}

func TestReaderKeepsPartialFrameAcrossTimeouts(t *testing.T) {
	frame := AppendFrame(nil, LRCSTXETX, []byte("123456780s"))
	r := NewReader(&stepReader{steps: []any{frame[:5], iotest.ErrTimeout, frame[5:]}}, LRCSTXETX)
	if _, err := r.Next(); !errors.Is(err, iotest.ErrTimeout) {
		t.Fatalf("first Next: %v", err)
	}
	f, err := r.Next()
	if err != nil || string(f.Payload) != "123456780s" || !f.LRCOK {
		t.Fatalf("second Next: %+v %v", f, err)
	}
}

func TestReaderBoundsGarbage(t *testing.T) {
	stream := append([]byte{STX}, bytes.Repeat([]byte("A"), 5000)...)
	stream = append(stream, ETX, 0)
	stream = append(stream, ACKFrame()...)
	got := readAll(t, NewReader(bytes.NewReader(stream), LRCSTXETX))
	if len(got) != 1 || got[0].Kind != FrameACK {
		t.Fatalf("got %+v, want only the ACK", got)
	}
}
