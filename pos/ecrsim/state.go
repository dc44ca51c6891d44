package ecrsim

import (
	"fmt"
	"strings"
	"time"

	"till/money"
	"till/pos/ecr17"
)

// Charge is one payment or reversal the terminal processed, with the till that asked.
type Charge struct {
	// ECRID is the till's id from the request (positions 11–18).
	ECRID string
	// Amount is the payment's amount; for a reversal, the amount of the payment it cancels
	// (zero when there was none).
	Amount money.Cents
	// STAN is the STAN in the result the terminal gave.
	STAN     string
	Approved bool
	// Reversed marks a reversal: the entry cancels a payment rather than being one.
	Reversed bool
	At       time.Time
}

// Charges returns every payment and reversal the terminal processed, oldest first: the
// approved and declined ones, not the requests it refused as busy or never took.
func (s *Sim) Charges() []Charge {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Charge(nil), s.charges...)
}

// ChargedTotal is the money the terminal actually took: approved payments minus approved
// reversals, across day closures.
func (s *Sim) ChargedTotal() money.Cents {
	s.mu.Lock()
	defer s.mu.Unlock()
	var sum money.Cents
	for _, c := range s.charges {
		switch {
		case !c.Approved:
		case c.Reversed:
			sum -= c.Amount
		default:
			sum += c.Amount
		}
	}
	return sum
}

// work is a KeepWorking payment the terminal goes on with after the link dropped.
type work struct {
	req  ecr17.Request
	done chan struct{} // closed when the payment completed
}

// Working reports whether a KeepWorking payment is still running.
func (s *Sim) Working() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.work != nil
}

// FinishWork completes the running KeepWorking payment now, as if Config.WorkDelay had
// passed, so a test can hold the terminal busy as long as it needs. It reports whether a
// payment was running.
func (s *Sim) FinishWork() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.work != nil && s.completeLocked(s.work)
}

// startWork takes a KeepWorking payment on; it reports false when the terminal is busy
// with another one (or closed). The payment completes after Config.WorkDelay, unless
// FinishWork completes it first or Close switches the terminal off.
func (s *Sim) startWork(req ecr17.Request) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.work != nil {
		return false
	}
	w := &work{req: req, done: make(chan struct{})}
	s.work = w
	s.payments.Add(1)
	s.wg.Add(1) // under s.mu with closed false: Close has not started waiting
	go func() {
		defer s.wg.Done()
		t := time.NewTimer(s.cfg.WorkDelay)
		defer t.Stop()
		select {
		case <-t.C:
			s.mu.Lock()
			s.completeLocked(w)
			s.mu.Unlock()
		case <-w.done:
		case <-s.done:
		}
	}()
	return true
}

// completeLocked approves w, if it is still the running payment and the terminal is on.
func (s *Sim) completeLocked(w *work) bool {
	if s.work != w || s.closed {
		return false
	}
	s.work = nil
	close(w.done)
	s.payLocked(w.req, Approve)
	return true
}

// busyAnswer is what a financial request gets while a KeepWorking payment runs: a
// decline that changes nothing and is not kept as the last result.
func (s *Sim) busyAnswer(code byte) []byte {
	r := ecr17.Response{Code: 'E', TerminalID: s.cfg.TerminalID, Result: "01", Text: BusyText}
	if code == 'C' {
		r = ecr17.Response{Code: 'C', TerminalID: s.cfg.TerminalID, Result: "01", Text: BusyText}
	}
	return s.encode(r)
}

// process changes the terminal's state for a request and returns the payload to send.
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
		return s.payLocked(req, sc)
	case 'S':
		return s.reverseLocked(req)
	case 'G':
		if s.last != nil {
			return s.last
		}
		r = ecr17.Response{Code: 'E', TerminalID: tid, Result: "01", Text: "NESSUNA OPERAZIONE", STAN: "000000", OperationNumber: "000000"}
	case 'T':
		r = ecr17.Response{Code: 'T', TerminalID: tid, Result: "00", TerminalTotal: s.total}
		if sc == RefuseTotals {
			r.Result, r.TerminalTotal = "01", 0
		}
	case 'C':
		s.closures.Add(1)
		if sc == RefuseTotals {
			r = ecr17.Response{Code: 'C', TerminalID: tid, Result: "01", Text: "HOST NON DISPONIB.", ActionCode: "001"}
			break
		}
		r = ecr17.Response{Code: 'C', TerminalID: tid, Result: "00", TerminalTotal: s.total, HostTotal: s.total}
		s.total, s.lastPay = 0, nil
	}
	return s.encode(r)
}

// encode makes a payload of r; only a bug in this package can make it fail, and then the
// terminal answers with a decline.
func (s *Sim) encode(r ecr17.Response) []byte {
	p, err := r.Payload()
	if err != nil {
		p, _ = ecr17.Response{Code: 'E', TerminalID: s.cfg.TerminalID, Result: "01", Text: "ERRORE SIMULATORE"}.Payload()
	}
	return p
}

// payLocked decides a payment, records it and keeps its result as the last result; it
// returns the payload to send, which the ShortResult scenario cuts.
func (s *Sim) payLocked(req ecr17.Request, sc Scenario) []byte {
	r := ecr17.Response{Code: 'E', TerminalID: s.cfg.TerminalID, CardType: "2", AcquirerID: "00000000003",
		STAN: s.nextSTAN(), OperationNumber: s.nextOp()}
	switch sc {
	case Decline:
		r.Result, r.Text = "01", "FONDI INSUFFICIENTI"
	case NotOperative:
		r.Result, r.Text = "01", "TERMINALE NON OPERAT."
	default:
		r.Result, r.PAN, r.EntryMode, r.HostDateTime = "00", "411111******1111", "CLI", hostNow()
		r.AuthCode = fmt.Sprintf("A%05d", s.stan%100_000)
		switch sc {
		case ForeignTID:
			r.TerminalID = s.cfg.ForeignTerminalID
		case BadSTAN:
			r.STAN = BadSTANValue
		}
		s.total += req.Amount
		s.lastPay = &payment{amount: req.Amount, stan: r.STAN}
	}
	p := s.encode(r)
	s.last = p
	s.charges = append(s.charges, Charge{ECRID: req.ECRID, Amount: req.Amount, STAN: r.STAN,
		Approved: r.Result == "00", At: time.Now()})
	if sc == ShortResult {
		return append([]byte(nil), p[:20]...)
	}
	return p
}

// reverseLocked cancels the last payment if stan matches it (or is 000000), records the
// reversal and keeps its result as the last result.
func (s *Sim) reverseLocked(req ecr17.Request) []byte {
	r := ecr17.Response{Code: 'E', TerminalID: s.cfg.TerminalID, CardType: "2", AcquirerID: "00000000003",
		OperationNumber: s.nextOp()}
	p := s.lastPay
	var amount money.Cents
	if p != nil {
		amount = p.amount
	}
	if p == nil || p.reversed || (req.STAN != "000000" && strings.TrimSpace(req.STAN) != p.stan) {
		r.Result, r.Text, r.STAN = "01", "STORNO NON CONSENTITO", "000000"
	} else {
		r.STAN = s.nextSTAN()
		s.reversals.Add(1)
		p.reversed = true
		s.total -= p.amount
		r.Result, r.PAN, r.EntryMode, r.AuthCode, r.HostDateTime = "00", "411111******1111", "CLI", "000000", hostNow()
	}
	out := s.encode(r)
	s.last = out
	s.charges = append(s.charges, Charge{ECRID: req.ECRID, Amount: amount, STAN: r.STAN,
		Approved: r.Result == "00", Reversed: true, At: time.Now()})
	return out
}

// nextSTAN advances the STAN counter: 000001 to 999999, then 000001 again.
func (s *Sim) nextSTAN() string {
	s.stan = s.stan%999_999 + 1
	return fmt.Sprintf("%06d", s.stan)
}

func (s *Sim) nextOp() string {
	s.op++
	return fmt.Sprintf("%06d", s.op%1_000_000)
}

// hostNow is the host's DDDHHMM (day of year, hour, minute) for now.
func hostNow() string {
	now := time.Now()
	return fmt.Sprintf("%03d%s", now.YearDay(), now.Format("1504"))
}
