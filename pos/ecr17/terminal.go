package ecr17

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"till/money"
	"till/pos"
	"till/pos/link"
)

// Config names one terminal: where it is, who it is, who we are and how it behaves.
type Config struct {
	Link       string // "tcp://host:port" or "serial:///dev/ttyUSB0?baud=9600&parity=none"
	TerminalID string // 8 digits; "00000000" is accepted by terminals as a wildcard
	ECRID      string // 8 digits, the till's id on the terminal
	Profile    pos.Profile
}

// Terminal drives an ECR17 terminal; it implements pos.Terminal. Exchanges are serialised:
// the protocol has one conversation at a time.
type Terminal struct {
	cfg  Config
	mode LRCMode
	link link.Link

	mu          sync.Mutex  // one exchange at a time
	receiptsSet atomic.Bool // E1 sent since the last failed exchange
}

var _ pos.Terminal = (*Terminal)(nil)

// Open builds a Terminal from configuration values: the model picks the profile, the
// overrides (see pos.Profile.With) adjust it.
func Open(ctx context.Context, model, linkStr, terminalID, ecrID string, overrides map[string]string) (*Terminal, error) {
	p, err := pos.ProfileFor(model)
	if err != nil {
		return nil, err
	}
	if p, err = p.With(overrides); err != nil {
		return nil, err
	}
	return New(ctx, Config{Link: linkStr, TerminalID: terminalID, ECRID: ecrID, Profile: p})
}

// New checks cfg and prepares the link (a serial port is opened now; TCP connects per
// exchange).
func New(ctx context.Context, cfg Config) (*Terminal, error) {
	for name, id := range map[string]string{"terminal id": cfg.TerminalID, "ECR id": cfg.ECRID} {
		if len(id) != 8 || !digits(id) {
			return nil, fmt.Errorf("ecr17: %s %q must be 8 digits", name, id)
		}
	}
	if err := cfg.Profile.Validate(); err != nil {
		return nil, err
	}
	mode, err := ParseLRCMode(cfg.Profile.LRCMode)
	if err != nil {
		return nil, err
	}
	l, err := link.Dial(ctx, cfg.Link, link.Options{ConnectTimeout: cfg.Profile.ConnectTimeout})
	if err != nil {
		return nil, err
	}
	return &Terminal{cfg: cfg, mode: mode, link: l}, nil
}

// Close releases the link.
func (t *Terminal) Close() error { return t.link.Close() }

// do runs one request over a fresh exchange. Requests that change nothing are tried again
// when the link breaks mid-exchange; financial ones never are.
func (t *Terminal) do(ctx context.Context, req Request, want byte, events func(pos.Event)) ([]byte, error) {
	req.TerminalID, req.ECRID = t.cfg.TerminalID, t.cfg.ECRID
	payload, err := req.Payload()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", pos.ErrNotDelivered, err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	tries := 3
	if Financial(req.Code) {
		tries = 1
	}
	for try := 1; ; try++ {
		p, err := t.once(ctx, payload, want, events)
		if err == nil {
			return p, nil
		}
		t.receiptsSet.Store(false) // the terminal may have restarted: say E1 again
		if try >= tries || ctx.Err() != nil || errors.Is(err, pos.ErrNotDelivered) {
			return nil, fmt.Errorf("terminal %s %c: %w", t.cfg.TerminalID, req.Code, err)
		}
	}
}

func (t *Terminal) once(ctx context.Context, payload []byte, want byte, events func(pos.Event)) ([]byte, error) {
	cctx, cancel := context.WithTimeout(ctx, t.cfg.Profile.ConnectTimeout)
	conn, err := t.link.Conn(cctx)
	cancel()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", pos.ErrNotDelivered, err)
	}
	defer conn.Close()
	x := exchange{conn: conn, rd: NewReader(conn, t.mode), mode: t.mode, events: events,
		t: Timeouts{Ack: t.cfg.Profile.AckTimeout, Result: t.cfg.Profile.ResultTimeout, Retransmits: t.cfg.Profile.Retransmits}}
	return x.run(ctx, payload, want)
}

// result reads an 'E' payload as an answer to this terminal's request (see resultOf).
func (t *Terminal) result(raw []byte) (pos.Result, error) {
	return resultOf(raw, t.cfg.TerminalID, time.Now())
}

// Pay implements pos.Terminal.
func (t *Terminal) Pay(ctx context.Context, amount money.Cents, attemptID string, opts pos.PayOptions) (pos.Result, error) {
	unknown := pos.Result{Outcome: pos.Unknown, Requested: amount, TerminalID: t.cfg.TerminalID}
	if amount <= 0 {
		return unknown, fmt.Errorf("%w: pay %s: amount must be positive", pos.ErrNotDelivered, amount)
	}
	if t.cfg.Profile.ReceiptsOnTill && !t.receiptsSet.Load() {
		if _, err := t.do(ctx, Request{Code: 'E', ReceiptsOn: true}, 0, nil); err != nil {
			// The payment was never sent, whatever happened to E.
			return unknown, fmt.Errorf("%w: attempt %s: receipts to till: %w", pos.ErrNotDelivered, attemptID, err)
		}
		t.receiptsSet.Store(true)
	}
	req := Request{Code: 'P', Amount: amount, PayType: int(opts.Type), ReceiptFoot: opts.ReceiptFoot, CardInserted: opts.CardInserted}
	raw, err := t.do(ctx, req, 'E', opts.Progress)
	if err != nil {
		return unknown, fmt.Errorf("attempt %s: %w", attemptID, err)
	}
	r, err := t.result(raw)
	r.Requested = amount
	if err != nil {
		return r, fmt.Errorf("attempt %s: terminal %s P: %w", attemptID, t.cfg.TerminalID, err)
	}
	if r.Outcome == pos.Approved {
		// ECR17 has no partial approval: an approval is for the requested amount.
		r.Authorized = amount
	}
	return r, nil
}

// Reverse implements pos.Terminal.
func (t *Terminal) Reverse(ctx context.Context, stan string) (pos.Result, error) {
	if stan == "" {
		stan = "000000"
	}
	if len(stan) != 6 || !digits(stan) {
		return pos.Result{}, fmt.Errorf("%w: reverse: STAN %q must be 6 digits", pos.ErrNotDelivered, stan)
	}
	raw, err := t.do(ctx, Request{Code: 'S', STAN: stan}, 'E', nil)
	if err != nil {
		return pos.Result{Outcome: pos.Unknown, TerminalID: t.cfg.TerminalID}, err
	}
	r, err := t.result(raw)
	if err != nil {
		return r, fmt.Errorf("terminal %s S: %w", t.cfg.TerminalID, err)
	}
	return r, nil
}

// LastResult implements pos.Terminal.
func (t *Terminal) LastResult(ctx context.Context) (pos.Result, error) {
	raw, err := t.do(ctx, Request{Code: 'G'}, 'E', nil)
	if err != nil {
		return pos.Result{Outcome: pos.Unknown, TerminalID: t.cfg.TerminalID}, err
	}
	r, err := t.result(raw)
	if err != nil {
		return r, fmt.Errorf("terminal %s G: %w", t.cfg.TerminalID, err)
	}
	return r, nil
}

// Status implements pos.Terminal.
func (t *Terminal) Status(ctx context.Context) (pos.Status, error) {
	raw, err := t.do(ctx, Request{Code: 's'}, 's', nil)
	if err != nil {
		return pos.Status{}, err
	}
	r, err := DecodeResponse(raw)
	if err != nil {
		return pos.Status{}, fmt.Errorf("terminal %s status: %w", t.cfg.TerminalID, err)
	}
	st := pos.Status{TerminalID: r.TerminalID, Code: r.Status, Operative: r.Status == 2,
		DateTime: r.DateTime, Release: strings.TrimSpace(r.Release)}
	st.Time, _ = time.ParseInLocation("0201061504", r.DateTime, time.Local) // zero if unreadable
	return st, nil
}

// Totals implements pos.Terminal.
func (t *Terminal) Totals(ctx context.Context) (pos.Totals, error) {
	raw, err := t.do(ctx, Request{Code: 'T'}, 'T', nil)
	if err != nil {
		return pos.Totals{}, err
	}
	r, err := DecodeResponse(raw)
	if err != nil {
		return pos.Totals{}, fmt.Errorf("terminal %s totals: %w", t.cfg.TerminalID, err)
	}
	return pos.Totals{TerminalID: r.TerminalID, ResultCode: r.Result, Terminal: r.TerminalTotal}, nil
}

// CloseSession implements pos.Terminal.
func (t *Terminal) CloseSession(ctx context.Context) (pos.Closure, error) {
	raw, err := t.do(ctx, Request{Code: 'C'}, 'C', nil)
	if err != nil {
		return pos.Closure{TerminalID: t.cfg.TerminalID}, err
	}
	r, err := DecodeResponse(raw)
	if err != nil {
		return pos.Closure{TerminalID: t.cfg.TerminalID}, fmt.Errorf("%w: terminal %s close: %w", pos.ErrOutcomeUnknown, t.cfg.TerminalID, err)
	}
	return pos.Closure{TerminalID: r.TerminalID, OK: r.Result == "00", ResultCode: r.Result,
		Terminal: r.TerminalTotal, Host: r.HostTotal, Description: r.Text, ActionCode: r.ActionCode}, nil
}
