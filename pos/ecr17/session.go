package ecr17

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"till/pos"
	"till/pos/link"
)

// Timeouts of one exchange, from the profile.
type Timeouts struct {
	Ack    time.Duration
	Result time.Duration
	// Retransmits is how many times a request is sent again after a NAK (or, for a
	// non-financial request, after a missing ACK).
	Retransmits int
}

// exchange is the ECR side of one request and its answer over one connection.
type exchange struct {
	conn   link.Conn
	rd     *Reader
	mode   LRCMode
	t      Timeouts
	events func(pos.Event)

	// State of the running exchange.
	frame      []byte // the request as sent
	financial  bool
	want       byte // answer code; 0 when the ACK is the whole answer
	sends      int
	sentAt     time.Time // of the latest transmission
	waitingAck bool
	deadline   time.Time
	badLRC     int
}

// step is what the exchange does after an event: keep reading, or stop with an answer
// or an error.
type step struct {
	done    bool
	payload []byte
	err     error
}

var keepReading = step{}

func finish(p []byte, err error) step { return step{done: true, payload: p, err: err} }

// run sends payload and returns the payload of the answer whose code is want; want 0
// means the request is answered by the ACK alone.
//
// Why a missing ACK is treated differently for financial requests: a NAK is the
// terminal's explicit "I did not accept this frame", so sending it again cannot make it
// pay twice. A missing ACK proves nothing: the request may have arrived and the ACK been
// lost, or the terminal may be one that answers with the result instead of an ACK. So a
// P, S or C that got no ACK is never sent again; we keep listening for its result until
// the result timeout and otherwise report pos.ErrOutcomeUnknown. Status, totals and last
// result change nothing and are retransmitted freely.
func (x *exchange) run(ctx context.Context, payload []byte, want byte) ([]byte, error) {
	x.financial = len(payload) >= 10 && Financial(payload[9])
	x.frame = AppendFrame(nil, x.mode, payload)
	x.want = want
	// Cancelling ctx moves the read deadline to now, which unblocks a pending read.
	stop := context.AfterFunc(ctx, func() { x.conn.SetReadDeadline(time.Now()) })
	defer stop()

	if err := x.send(); err != nil {
		return nil, x.lost(fmt.Errorf("send request: %w", err))
	}
	for {
		f, err := x.next(ctx, x.deadline)
		var st step
		switch {
		case ctx.Err() != nil:
			st = finish(nil, x.lost(ctx.Err()))
		case errors.Is(err, os.ErrDeadlineExceeded):
			st = x.onTimeout()
		case err != nil:
			st = finish(nil, x.lost(fmt.Errorf("link lost: %w", err)))
		default:
			st = x.onFrame(f)
		}
		if st.done {
			return st.payload, st.err
		}
	}
}

// send writes the request (again) and restarts the ACK timer.
func (x *exchange) send() error {
	x.sends++
	x.waitingAck = true
	x.sentAt = time.Now()
	x.deadline = x.sentAt.Add(x.t.Ack)
	_, err := x.conn.Write(x.frame)
	return err
}

func (x *exchange) onTimeout() step {
	if !x.waitingAck {
		return finish(nil, x.lost(fmt.Errorf("no result within %s", x.t.Result)))
	}
	if x.financial {
		// No ACK: maybe delivered. Never resend; listen for the result instead.
		x.waitingAck = false
		x.deadline = x.sentAt.Add(x.t.Result)
		return keepReading
	}
	if x.sends > x.t.Retransmits {
		return finish(nil, fmt.Errorf("%w: no ACK after %d sends", pos.ErrNotDelivered, x.sends))
	}
	if err := x.send(); err != nil {
		return finish(nil, fmt.Errorf("send request again: %w", err))
	}
	return keepReading
}

func (x *exchange) onFrame(f Frame) step {
	switch f.Kind {
	case FrameACK:
		if x.waitingAck {
			x.waitingAck = false
			if x.want == 0 {
				return finish(nil, nil)
			}
			x.deadline = time.Now().Add(x.t.Result)
		}
	case FrameNAK:
		if !x.waitingAck {
			return keepReading // a NAK of nothing we sent
		}
		if x.sends > x.t.Retransmits {
			return finish(nil, fmt.Errorf("%w: NAKed %d times", pos.ErrNotDelivered, x.sends))
		}
		// Every earlier transmission was refused explicitly, so this one cannot double.
		if err := x.send(); err != nil {
			return finish(nil, x.lost(fmt.Errorf("send request again: %w", err)))
		}
	case FrameProgress:
		x.emit(pos.Event{Kind: pos.EventProgress, Text: strings.TrimSpace(string(f.Payload))})
	case FrameApp:
		return x.onApp(f)
	}
	return keepReading
}

// onApp handles an application frame from the terminal: the answer, a receipt, or noise.
func (x *exchange) onApp(f Frame) step {
	if !f.LRCOK {
		// The terminal repeats a NAKed result; give up after as many tries as we would
		// give it for a request.
		if x.badLRC++; x.badLRC > x.t.Retransmits {
			return finish(nil, x.lost(fmt.Errorf("result with a bad LRC %d times", x.badLRC)))
		}
		if _, err := x.conn.Write(nakFrame); err != nil {
			return finish(nil, x.lost(fmt.Errorf("send NAK: %w", err)))
		}
		return keepReading
	}
	_, werr := x.conn.Write(ackFrame)
	if len(f.Payload) >= 10 && f.Payload[9] == x.want && x.want != 0 {
		// Also the case of a result sent before (or instead of) the ACK. A lost ACK of a
		// result in hand only makes the terminal repeat it.
		return finish(f.Payload, nil)
	}
	if werr != nil {
		return finish(nil, x.lost(fmt.Errorf("send ACK: %w", werr)))
	}
	if len(f.Payload) >= 10 && f.Payload[9] == 'S' {
		x.receipt(f.Payload[10:])
	}
	return keepReading
}

// next reads one frame before deadline. The second ctx check closes the window in which
// a cancellation could be overwritten by this SetReadDeadline.
func (x *exchange) next(ctx context.Context, deadline time.Time) (Frame, error) {
	if err := ctx.Err(); err != nil {
		return Frame{}, err
	}
	x.conn.SetReadDeadline(deadline)
	if err := ctx.Err(); err != nil {
		return Frame{}, err
	}
	return x.rd.Next()
}

// lost classifies a failure after the request may have been delivered.
func (x *exchange) lost(err error) error {
	if x.financial {
		return fmt.Errorf("%w: %w", pos.ErrOutcomeUnknown, err)
	}
	return err
}

func (x *exchange) emit(e pos.Event) {
	if x.events != nil {
		x.events(e)
	}
}

// receipt splits a receipt frame's text into lines: 0x7D breaks a line, 0x7D 0x1B ends
// the receipt.
func (x *exchange) receipt(text []byte) {
	parts := strings.Split(string(text), "\x7d")
	for i, p := range parts {
		switch {
		case p == "\x1b":
			x.emit(pos.Event{Kind: pos.EventReceiptEnd})
		case p == "" && i == len(parts)-1:
			// a trailing line break
		default:
			x.emit(pos.Event{Kind: pos.EventReceiptLine, Text: p})
		}
	}
}
