package ecrsim

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"till/money"
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
	if sc != ResultBeforeACK {
		c.write(ecr17.ACKFrame())
	}
	if req.Code == 'E' {
		c.s.setReceipts(req.ReceiptsOn)
		return exchangeDone
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
	if !c.sendResult(resp, sc == CorruptLRC) {
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

// process changes the terminal's state for a request and returns the result payload.
func (s *Sim) process(req ecr17.Request, sc Scenario) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	tid := s.cfg.TerminalID
	var r ecr17.Response
	switch req.Code {
	case 's':
		r = ecr17.Response{Code: 's', TerminalID: tid, DateTime: time.Now().Format("0201061504"), Status: 2, Release: "ECRSIM 1.0"}
		if sc == NotOperative {
			r.Status = 3
		}
	case 'P':
		s.payments.Add(1)
		r = s.pay(req.Amount, sc)
	case 'S':
		r = s.reverse(req.STAN)
	case 'G':
		if s.last != nil {
			return s.last
		}
		r = ecr17.Response{Code: 'E', TerminalID: tid, Result: "01", Text: "NESSUNA OPERAZIONE", STAN: "000000", OperationNumber: "000000"}
	case 'T':
		r = ecr17.Response{Code: 'T', TerminalID: tid, Result: "00", TerminalTotal: s.total}
	case 'C':
		r = ecr17.Response{Code: 'C', TerminalID: tid, Result: "00", TerminalTotal: s.total, HostTotal: s.total}
		s.total, s.lastPay = 0, nil
	}
	p, err := r.Payload()
	if err != nil { // only a bug in this file can get here; answer with a decline
		p, _ = ecr17.Response{Code: 'E', TerminalID: tid, Result: "01", Text: "ERRORE SIMULATORE"}.Payload()
	}
	if req.Code == 'P' || req.Code == 'S' {
		s.last = p
	}
	return p
}

func (s *Sim) pay(amount money.Cents, sc Scenario) ecr17.Response {
	s.stan++
	s.op++
	r := ecr17.Response{Code: 'E', TerminalID: s.cfg.TerminalID, CardType: "2", AcquirerID: "00000000003",
		STAN: fmt.Sprintf("%06d", s.stan%1_000_000), OperationNumber: fmt.Sprintf("%06d", s.op%1_000_000)}
	switch sc {
	case Decline:
		r.Result, r.Text = "01", "FONDI INSUFFICIENTI"
		return r
	case NotOperative:
		r.Result, r.Text = "01", "TERMINALE NON OPERAT."
		return r
	}
	now := time.Now()
	r.Result, r.PAN, r.EntryMode = "00", "411111******1111", "CLI"
	r.AuthCode = fmt.Sprintf("A%05d", s.stan%100_000)
	r.HostDateTime = fmt.Sprintf("%03d%s", now.YearDay(), now.Format("1504"))
	s.total += amount
	s.lastPay = &payment{amount: amount, stan: r.STAN}
	return r
}

func (s *Sim) reverse(stan string) ecr17.Response {
	s.op++
	r := ecr17.Response{Code: 'E', TerminalID: s.cfg.TerminalID, CardType: "2", AcquirerID: "00000000003",
		OperationNumber: fmt.Sprintf("%06d", s.op%1_000_000)}
	p := s.lastPay
	if p == nil || p.reversed || (stan != "000000" && strings.TrimSpace(stan) != p.stan) {
		r.Result, r.Text, r.STAN = "01", "STORNO NON CONSENTITO", "000000"
		return r
	}
	s.stan++
	s.reversals.Add(1)
	p.reversed = true
	s.total -= p.amount
	now := time.Now()
	r.Result, r.PAN, r.EntryMode, r.AuthCode = "00", "411111******1111", "CLI", "000000"
	r.HostDateTime = fmt.Sprintf("%03d%s", now.YearDay(), now.Format("1504"))
	r.STAN = fmt.Sprintf("%06d", s.stan%1_000_000)
	return r
}
