package ecrsim

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"till/pos/ecr17"
)

// action is what the connection loop does after a request.
type action int

const (
	keepGoing action = iota // the exchange is not over (NAK, swallowed request)
	exchangeDone
	dropLink
)

type deadliner interface{ SetReadDeadline(time.Time) error }

// conn is one connection's terminal side.
type conn struct {
	s      *Sim
	rw     io.ReadWriter
	rd     *ecr17.Reader
	nakked bool // NAKThenACK: the first frame of this connection was NAKed
	// pending is a request that arrived while a result waited for its ACK: the till gave
	// up on that result and moved on, so the request is served next.
	pending []ecr17.Frame
}

// serve answers requests on rw until it fails. oneShot ends after one exchange; stream
// (a pty) cannot be dropped, so a dropped link there only abandons the exchange.
func (s *Sim) serve(rw io.ReadWriter, oneShot, stream bool) {
	c := &conn{s: s, rw: rw, rd: ecr17.NewReader(rw, s.cfg.LRCMode)}
	for {
		var f ecr17.Frame
		if len(c.pending) > 0 {
			f, c.pending = c.pending[0], c.pending[1:]
		} else {
			c.setDeadline(time.Time{})
			var err error
			if f, err = c.rd.Next(); err != nil {
				return
			}
			c.logIn(f)
		}
		if f.Kind != ecr17.FrameApp {
			continue
		}
		switch c.handle(f) {
		case dropLink:
			if !stream || s.stopped() {
				return
			}
		case exchangeDone:
			if oneShot {
				return
			}
		}
	}
}

func (c *conn) handle(f ecr17.Frame) action {
	if !f.LRCOK {
		return c.nak()
	}
	req, err := ecr17.DecodeRequest(f.Payload)
	if err != nil {
		return c.nak()
	}
	if req.TerminalID != c.s.cfg.TerminalID && req.TerminalID != "00000000" {
		return c.nak()
	}
	c.s.requests.Add(1)
	sc := c.s.scenarioFor(req)
	switch sc {
	case NoACK:
		return keepGoing
	case NAKThenACK:
		if !c.nakked {
			c.nakked = true
			return c.nak()
		}
	}
	mode := c.s.lastResultMode()
	if req.Code == 'G' && mode == LastResultNone {
		return keepGoing // this terminal cannot answer G
	}
	if sc != ResultBeforeACK {
		c.write(ecr17.ACKFrame())
	}
	switch req.Code {
	case 'E':
		c.s.setReceipts(req.ReceiptsOn)
		return exchangeDone
	case 'G':
		if mode == LastResultCut || (mode == LastResultLate && !c.s.sleep(c.s.cfg.ResultDelay)) {
			return dropLink
		}
	case 'P', 'S', 'C':
		if a, ok := c.whileWorking(req, sc); ok {
			return a
		}
	}
	if req.Code == 'P' && !c.payProgress() {
		return dropLink
	}
	resp := c.s.process(req, sc)
	if sc == DropAfterACK {
		return dropLink
	}
	if sc == Slow && !c.s.sleep(c.s.cfg.ResultDelay) {
		return dropLink
	}
	return c.answer(resp, sc == CorruptLRC)
}

// whileWorking starts a KeepWorking payment (the link drops at once, the terminal goes
// on), or answers busy to a financial request while one runs. ok is false when the
// request is to be served as usual.
func (c *conn) whileWorking(req ecr17.Request, sc Scenario) (a action, ok bool) {
	if req.Code == 'P' && sc == KeepWorking {
		if c.s.startWork(req) {
			return dropLink, true
		}
		return c.answer(c.s.busyAnswer(req.Code), false), true
	}
	if c.s.Working() {
		return c.answer(c.s.busyAnswer(req.Code), false), true
	}
	return keepGoing, false
}

// answer sends a result and ends the exchange.
func (c *conn) answer(payload []byte, corrupt bool) action {
	if !c.sendResult(payload, corrupt) {
		return dropLink
	}
	return exchangeDone
}

// payProgress sends what a terminal shows while the customer pays, and the receipt when
// the till asked for it with E1.
func (c *conn) payProgress() bool {
	for _, text := range []string{"INSERIRE CARTA", "ATTENDERE PREGO", "AUTORIZZAZIONE..."} {
		if !c.s.sleep(c.s.cfg.ProgressDelay) {
			return false
		}
		c.write(ecr17.ProgressFrame(text))
	}
	return true
}

// sendResult sends the result payload (first with a broken LRC if corrupt) and waits for
// the till's ACK, repeating the result on a NAK at most 3 times.
func (c *conn) sendResult(payload []byte, corrupt bool) bool {
	if c.s.receiptsOn() && payload[9] == 'E' {
		text := fmt.Sprintf("SIMULATORE ECR17\x7dTERMINALE %s\x7dESITO %s\x7d\x7d\x1b", c.s.cfg.TerminalID, payload[10:12])
		rec, _ := ecr17.Response{Code: 'S', TerminalID: c.s.cfg.TerminalID, Text: text}.Payload()
		if !c.sendAcked(ecr17.AppendFrame(nil, c.s.cfg.LRCMode, rec), nil) {
			return false
		}
	}
	good := ecr17.AppendFrame(nil, c.s.cfg.LRCMode, payload)
	first := good
	if corrupt {
		first = append([]byte(nil), good...)
		first[len(first)-1] ^= 0xFF
	}
	return c.sendAcked(first, good)
}

// sendAcked writes frame and waits for an ACK; on a NAK it writes repeat (or frame again).
func (c *conn) sendAcked(frame, repeat []byte) bool {
	if repeat == nil {
		repeat = frame
	}
	c.write(frame)
	for naks := 0; naks <= 3; {
		c.setDeadline(time.Now().Add(c.s.cfg.AckTimeout))
		f, err := c.rd.Next()
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return true // the till went away; the result stays as the last result
		}
		if err != nil {
			return false
		}
		c.logIn(f)
		switch f.Kind {
		case ecr17.FrameACK:
			return true
		case ecr17.FrameNAK:
			naks++
			c.write(repeat)
		case ecr17.FrameApp:
			c.pending = append(c.pending, f)
			return true
		}
	}
	return true
}

func (c *conn) nak() action {
	c.write(ecr17.NAKFrame())
	return keepGoing
}

func (c *conn) write(b []byte) {
	c.s.logFrame("->", b)
	c.rw.Write(b) // a failed write shows up as a failed read on the next frame
}

func (c *conn) logIn(f ecr17.Frame) {
	switch f.Kind {
	case ecr17.FrameApp:
		c.s.logFrame("<-", append(append([]byte{ecr17.STX}, f.Payload...), ecr17.ETX, f.LRC))
	case ecr17.FrameACK:
		c.s.logFrame("<-", ecr17.ACKFrame())
	case ecr17.FrameNAK:
		c.s.logFrame("<-", ecr17.NAKFrame())
	}
}

func (c *conn) setDeadline(t time.Time) {
	if d, ok := c.rw.(deadliner); ok {
		d.SetReadDeadline(t)
	}
}

// scenarioFor applies the amount table to payments and the run scenario to the rest.
func (s *Sim) scenarioFor(req ecr17.Request) Scenario {
	if req.Code == 'P' {
		if sc, ok := ByAmount[req.Amount]; ok {
			return sc
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.scenario
}

func (s *Sim) setReceipts(on bool) {
	s.mu.Lock()
	s.receipts = on
	s.mu.Unlock()
}

func (s *Sim) receiptsOn() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.receipts
}
