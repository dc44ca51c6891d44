// Package ecrsim is a simulated ECR17 payment terminal for tests, demos and technicians:
// it listens on TCP or a pty, keeps a terminal's state (STAN, last result, totals) and can
// misbehave in the ways real terminals and links do. It must never be linked into the
// till itself; cmd/ecrsim is its command.
package ecrsim

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/creack/pty"

	"till/money"
	"till/pos/ecr17"
)

// Config sets up a simulator. Zero values are usable defaults.
type Config struct {
	TerminalID string // its own 8-digit id; requests for another id are NAKed. Default 12345678.
	Scenario   Scenario
	// ProgressDelay separates progress messages (and the result) of a payment, like a
	// customer tapping a card. Zero in tests.
	ProgressDelay time.Duration
	// ResultDelay is how late the Slow scenario answers. Default 5 s.
	ResultDelay time.Duration
	// AckTimeout is how long the simulator waits for the till's ACK of a result. Default 2 s.
	AckTimeout time.Duration
	// WorkDelay is how long a KeepWorking payment goes on after the link dropped before the
	// terminal approves it. Default 2 s.
	WorkDelay time.Duration
	// LastResult is how a last-result request (G) is answered. Default LastResultAnswer.
	LastResult LastResultMode
	// ForeignTerminalID is the terminal id the ForeignTID scenario puts in its results.
	// Default 87654321 (12345678 for a terminal whose own id is 87654321).
	ForeignTerminalID string
	// STANStart is the last STAN the terminal used before the simulator starts: the first
	// payment gets STANStart+1 (after 999999 the counter wraps to 000001). 0 to 999999;
	// the default 0 makes the first STAN 000001.
	STANStart int
	// KeepOpen keeps TCP connections open across exchanges; by default the simulator closes
	// the socket after each exchange, as many terminals do.
	KeepOpen bool
	LRCMode  ecr17.LRCMode
	// Log, if set, receives every frame in hex and text.
	Log io.Writer
}

// Sim is a running simulator. All methods are safe for concurrent use.
type Sim struct {
	cfg Config

	mu        sync.Mutex
	scenario  Scenario
	lastMode  LastResultMode
	stan, op  int
	last      []byte // last financial result payload, returned byte for byte by G
	lastPay   *payment
	total     money.Cents
	receipts  bool
	charges   []Charge
	work      *work // the KeepWorking payment still running, if any
	closers   map[io.Closer]struct{}
	closed    bool
	done      chan struct{}
	wg        sync.WaitGroup
	logMu     sync.Mutex
	payments  atomic.Int64
	requests  atomic.Int64
	reversals atomic.Int64
	closures  atomic.Int64
}

type payment struct {
	amount   money.Cents
	stan     string
	reversed bool
}

// New makes a simulator; start it with ListenTCP or ListenPTY.
func New(cfg Config) (*Sim, error) {
	if cfg.TerminalID == "" {
		cfg.TerminalID = "12345678"
	}
	if !eightDigits(cfg.TerminalID) {
		return nil, fmt.Errorf("ecrsim: terminal id %q must be 8 digits", cfg.TerminalID)
	}
	if cfg.Scenario == "" {
		cfg.Scenario = Approve
	}
	if _, err := ParseScenario(string(cfg.Scenario)); err != nil {
		return nil, fmt.Errorf("ecrsim: %w", err)
	}
	if cfg.ResultDelay <= 0 {
		cfg.ResultDelay = 5 * time.Second
	}
	if cfg.AckTimeout <= 0 {
		cfg.AckTimeout = 2 * time.Second
	}
	if cfg.WorkDelay <= 0 {
		cfg.WorkDelay = 2 * time.Second
	}
	mode, err := ParseLastResultMode(string(cfg.LastResult))
	if err != nil {
		return nil, fmt.Errorf("ecrsim: %w", err)
	}
	cfg.LastResult = mode
	if cfg.ForeignTerminalID == "" {
		cfg.ForeignTerminalID = "87654321"
		if cfg.TerminalID == cfg.ForeignTerminalID {
			cfg.ForeignTerminalID = "12345678"
		}
	}
	if !eightDigits(cfg.ForeignTerminalID) || cfg.ForeignTerminalID == cfg.TerminalID {
		return nil, fmt.Errorf("ecrsim: foreign terminal id %q must be 8 digits and not the terminal's own", cfg.ForeignTerminalID)
	}
	if cfg.STANStart < 0 || cfg.STANStart > 999_999 {
		return nil, fmt.Errorf("ecrsim: STAN start %d must be 0 to 999999", cfg.STANStart)
	}
	return &Sim{cfg: cfg, scenario: cfg.Scenario, lastMode: cfg.LastResult, stan: cfg.STANStart,
		closers: map[io.Closer]struct{}{}, done: make(chan struct{})}, nil
}

func eightDigits(id string) bool {
	return len(id) == 8 && strings.Trim(id, "0123456789") == ""
}

// SetScenario changes the run scenario from the next request on.
func (s *Sim) SetScenario(sc Scenario) {
	s.mu.Lock()
	s.scenario = sc
	s.mu.Unlock()
}

// SetLastResultMode changes how last-result requests (G) are answered from the next one
// on. Status requests and payments are not affected.
func (s *Sim) SetLastResultMode(mode LastResultMode) {
	s.mu.Lock()
	s.lastMode = mode
	s.mu.Unlock()
}

func (s *Sim) lastResultMode() LastResultMode {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastMode
}

// ResetSTAN resets the terminal's STAN counter, as after a terminal's own reset or
// replacement: the next payment or reversal gets STAN 000001.
func (s *Sim) ResetSTAN() {
	s.mu.Lock()
	s.stan = 0
	s.mu.Unlock()
}

// Payments counts the payment requests the simulator accepted and processed: the number
// a "never sent twice" test looks at. A KeepWorking payment counts from when the terminal
// takes it on; a payment declined as busy does not count.
func (s *Sim) Payments() int { return int(s.payments.Load()) }

// Requests counts every well-formed request frame for this terminal, swallowed ones too.
func (s *Sim) Requests() int { return int(s.requests.Load()) }

// Reversals counts the reversals the simulator approved.
func (s *Sim) Reversals() int { return int(s.reversals.Load()) }

// Closures counts the day closures (C) the terminal processed, refused ones too (not those it
// swallowed or declined as busy): a test of the till's close checks that C went once.
func (s *Sim) Closures() int { return int(s.closures.Load()) }

// Total is the running terminal total.
func (s *Sim) Total() money.Cents {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// ListenTCP serves on addr ("127.0.0.1:0" picks a port) and returns the bound address.
func (s *Sim) ListenTCP(addr string) (net.Addr, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("ecrsim: %w", err)
	}
	if !s.track(l) {
		l.Close()
		return nil, errors.New("ecrsim: closed")
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			if !s.track(c) {
				c.Close()
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer s.untrack(c)
				s.serve(c, !s.cfg.KeepOpen, false)
			}()
		}
	}()
	return l.Addr(), nil
}

// ListenPTY creates a pseudo-terminal, serves on its master side and returns the path of
// the slave, which the till opens as a serial port. The simulator keeps the slave open
// too, so the master never sees a hang-up between the till's opens.
func (s *Sim) ListenPTY() (string, error) {
	master, slave, err := pty.Open()
	if err != nil {
		return "", fmt.Errorf("ecrsim: open pty: %w", err)
	}
	if !s.track(master) || !s.track(slave) {
		master.Close()
		slave.Close()
		return "", errors.New("ecrsim: closed")
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.serve(master, false, true)
	}()
	return slave.Name(), nil
}

// Close stops every listener and connection and waits for the simulator's goroutines.
func (s *Sim) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.done)
	for c := range s.closers {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return nil
}

func (s *Sim) track(c io.Closer) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.closers[c] = struct{}{}
	return true
}

func (s *Sim) untrack(c io.Closer) {
	c.Close()
	s.mu.Lock()
	delete(s.closers, c)
	s.mu.Unlock()
}

func (s *Sim) stopped() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// sleep waits d or until Close; it reports whether the simulator is still running.
func (s *Sim) sleep(d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.done:
		return false
	}
}

// logFrame writes one frame to Config.Log: direction, hex, and the printable text.
func (s *Sim) logFrame(dir string, b []byte) {
	if s.cfg.Log == nil {
		return
	}
	text := make([]byte, len(b))
	for i, c := range b {
		text[i] = c
		if c < 0x20 || c > 0x7e {
			text[i] = '.'
		}
	}
	s.logMu.Lock()
	fmt.Fprintf(s.cfg.Log, "%s %s % x  |%s|\n", time.Now().Format("15:04:05.000"), dir, b, text)
	s.logMu.Unlock()
}
