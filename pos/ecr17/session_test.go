package ecr17

import (
	"bytes"
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"till/pos"
)

// script plays the terminal side of one exchange over net.Pipe: for each frame it reads
// from the till it writes the next reply (nil writes nothing), and it records what it read.
func script(t *testing.T, replies ...[]byte) (*exchange, *[][]byte, func()) {
	t.Helper()
	ecr, term := net.Pipe()
	var got [][]byte
	done := make(chan struct{})
	go func() {
		defer close(done)
		rd := NewReader(term, LRCSTXETX)
		for _, r := range replies {
			f, err := rd.Next()
			if err != nil {
				return
			}
			switch f.Kind {
			case FrameApp:
				got = append(got, f.Payload)
			case FrameACK:
				got = append(got, []byte("ACK"))
			case FrameNAK:
				got = append(got, []byte("NAK"))
			}
			if r != nil {
				term.Write(r)
			}
		}
		term.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		for { // keep reading so the till's last writes never block
			f, err := rd.Next()
			if err != nil {
				return
			}
			if f.Kind == FrameApp {
				got = append(got, f.Payload)
			}
		}
	}()
	x := &exchange{conn: ecr, rd: NewReader(ecr, LRCSTXETX), mode: LRCSTXETX,
		t: Timeouts{Ack: 100 * time.Millisecond, Result: 300 * time.Millisecond, Retransmits: 3}}
	return x, &got, func() { ecr.Close(); term.Close(); <-done }
}

func frame(p string) []byte { return AppendFrame(nil, LRCSTXETX, []byte(p)) }

func badFrame(p string) []byte {
	f := frame(p)
	f[len(f)-1] ^= 0x55
	return f
}

func TestSessionEdges(t *testing.T) {
	pay := workedPayloads["frame3_pay"]
	status := "123456780s"
	result := workedPayloads["frame5_approved"]
	stResp := "123456780s" + "0000000000" + "2711260250" + "2" + "REL"
	for _, tc := range []struct {
		name     string
		payload  string
		want     byte
		replies  [][]byte
		wantErr  error
		wantSent int // request frames the terminal received
	}{
		{"pay NAKed four times is not delivered", pay, 'E',
			[][]byte{NAKFrame(), NAKFrame(), NAKFrame(), NAKFrame()}, pos.ErrNotDelivered, 4},
		{"pay result with bad LRC four times is unknown", pay, 'E',
			[][]byte{append(ACKFrame(), badFrame(result)...), badFrame(result), badFrame(result), badFrame(result), nil}, pos.ErrOutcomeUnknown, 1},
		{"pay result repeated after one NAK", pay, 'E',
			[][]byte{append(ACKFrame(), badFrame(result)...), frame(result), nil}, nil, 1},
		{"pay ACK and result in one write, split progress", pay, 'E',
			[][]byte{append(append(ACKFrame(), ProgressFrame("INSERIRE CARTA")...), frame(result)...), nil}, nil, 1},
		{"pay without ACK waits for the result and is not resent", pay, 'E',
			[][]byte{nil}, pos.ErrOutcomeUnknown, 1},
		{"status without ACK is resent", status, 's',
			[][]byte{nil, nil, append(ACKFrame(), frame(stResp)...), nil}, nil, 3},
		{"receipt frames are ACKed and skipped", pay, 'E',
			[][]byte{append(ACKFrame(), frame("123456780SRIGA\x7d\x1b")...), frame(result), nil}, nil, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, got, stop := script(t, tc.replies...)
			p, err := x.run(context.Background(), []byte(tc.payload), tc.want)
			stop()
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Fatalf("err %v, want %v", err, tc.wantErr)
			}
			sent := 0
			for _, g := range *got {
				if string(g) == tc.payload {
					sent++
				}
			}
			if sent != tc.wantSent {
				t.Errorf("terminal got the request %d times, want %d (%q)", sent, tc.wantSent, *got)
			}
			if err == nil && (len(p) < 10 || p[9] != tc.want) {
				t.Errorf("answer %q", p)
			}
			if tc.wantErr == nil && !bytes.Equal((*got)[len(*got)-1], []byte("ACK")) {
				t.Errorf("the answer was not ACKed: %q", *got)
			}
		})
	}
}
