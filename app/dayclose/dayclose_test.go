package dayclose

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"till/fiscal"
	"till/money"
	"till/pos"
	"till/storage"
)

// terminal is a terminal whose answers to C the test scripts: the simulator answers C with a
// refusal only together with T, and never "not delivered" after a good T.
type terminal struct {
	total   money.Cents
	answers []error // per C: nil approves, errRefused refuses, else the error
	sent    int
}

var errRefused = errors.New("refused")

func (t *terminal) Totals(context.Context) (pos.Totals, error) {
	return pos.Totals{TerminalID: "12345678", ResultCode: "00", Terminal: t.total}, nil
}

func (t *terminal) CloseSession(context.Context) (pos.Closure, error) {
	err := t.answers[t.sent]
	t.sent++
	switch {
	case err == nil:
		c := pos.Closure{TerminalID: "12345678", OK: true, ResultCode: "00", Terminal: t.total, Host: t.total}
		t.total = 0
		return c, nil
	case errors.Is(err, errRefused):
		return pos.Closure{TerminalID: "12345678", ResultCode: "01", Description: "HOST NON DISPONIB.", ActionCode: "001"}, nil
	}
	return pos.Closure{}, err
}

// printer answers each Z with the next scripted error, or prints.
type printer struct {
	answers []error
	printed int
}

func (p *printer) DailyClosure(context.Context) (fiscal.Closure, error) {
	if len(p.answers) > 0 {
		err := p.answers[0]
		p.answers = p.answers[1:]
		if err != nil {
			return fiscal.Closure{}, err
		}
	}
	p.printed++
	return fiscal.Closure{ZNumber: p.printed}, nil
}

// TestDefiniteAnswersAllowAnotherTry: a C the terminal refused or never received, and a Z the
// printer refused, leave nothing done; the next run tries again and finishes. A C without
// answer is never sent again.
func TestDefiniteAnswersAllowAnotherTry(t *testing.T) {
	notDelivered := fmt.Errorf("dial: %w", pos.ErrNotDelivered)
	lost := fmt.Errorf("%w: link dropped", pos.ErrOutcomeUnknown)
	for _, tc := range []struct {
		name     string
		c        []error
		z        []error
		runs     int // runs until the close is done
		wantC    int // C sent in all
		wantDone bool
	}{
		{"C refused, then approved", []error{errRefused, nil}, nil, 2, 2, true},
		{"C not delivered, then approved", []error{notDelivered, nil}, nil, 2, 2, true},
		{"C without answer", []error{lost}, nil, 3, 1, false},
		{"Z refused for paper", []error{nil}, []error{&fiscal.Error{Kind: fiscal.ErrNotReady, Code: "EPTR_REC_EMPTY"}}, 2, 1, true},
		{"Z without answer", []error{nil}, []error{&fiscal.Error{Kind: fiscal.ErrOutcomeUnknown}}, 3, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "till.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			term := &terminal{total: 1250, answers: tc.c}
			pr := &printer{answers: tc.z}
			c := &Closer{DB: db, Printer: pr, Devices: []Device{{ID: "dev-1", TerminalID: "12345678", Terminal: term}}}
			var rep *Report
			for i := 0; i < tc.runs; i++ {
				if rep, err = c.Run(ctx, Options{Operator: "1"}); err == nil {
					break
				}
			}
			done := err == nil && rep.Close.State == storage.CloseDone
			if done != tc.wantDone || term.sent != tc.wantC {
				t.Fatalf("done %t (%v), C sent %d, want %t and %d", done, err, term.sent, tc.wantDone, tc.wantC)
			}
			if pr.printed > 1 || (done && pr.printed != 1) {
				t.Errorf("%d Z printed", pr.printed)
			}
			// The till took nothing: the terminal's 12,50 € is a difference.
			if done && (rep.Terminals[0].Terminal != 1250 || rep.Terminals[0].Difference() != 1250 || rep.Matches()) {
				t.Errorf("report %+v", rep.Terminals)
			}
		})
	}
}
