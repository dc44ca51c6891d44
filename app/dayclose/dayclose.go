// Package dayclose is the day's close of a till: read and close the session of every terminal
// enabled on it (ECR17 T, then C), compare each with the till's approved electronic payments
// since that terminal's last close, count the cash, then print the Z report (docs/closing.md).
// Each step is recorded before the next side effect, so a close stopped half-way resumes; it
// never sends C twice nor prints a second Z on a guess.
package dayclose

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"till/fiscal"
	"till/money"
	"till/pos"
	"till/storage"
)

// Terminal is what the close needs of a payment terminal.
type Terminal interface {
	Totals(ctx context.Context) (pos.Totals, error)
	CloseSession(ctx context.Context) (pos.Closure, error)
}

// Printer is what the close needs of the fiscal printer.
type Printer interface {
	DailyClosure(ctx context.Context) (fiscal.Closure, error)
}

// Device is a terminal enabled on this till.
type Device struct {
	ID, Name, TerminalID string
	Shared               bool // enabled on other tills too
	Terminal             Terminal
}

// Closer runs the close on one till's database, terminals and printer.
type Closer struct {
	DB      *storage.DB
	Devices []Device
	Printer Printer
	// Step, when set, is called after each recorded step ("terminal-read", "terminal-closing",
	// "terminal-answered", "terminal-closed", "z-intent"): fault injection for the crash tests.
	Step func(name string)
}

// Options are the manager's inputs.
type Options struct {
	Operator string
	// Cash is the cash counted in the drawer; nil when not counted.
	Cash *money.Cents
	// AcknowledgeOpen lets a close start with open payments; they are kept in its record.
	AcknowledgeOpen bool
	// ZOnPaper is the Z number a person read on the paper or in the printer's journal, for a
	// close whose Z outcome was lost; ZNotOnPaper says none was printed. Both only settle z_unknown.
	ZOnPaper    int
	ZNotOnPaper bool
}

// Report is a close as it stands, with the sales involved where a terminal differs.
type Report struct {
	Close     *storage.Close
	Resumed   bool
	Terminals []TerminalReport
}

// TerminalReport is one terminal of the close.
type TerminalReport struct {
	storage.CloseTerminal
	Payments []storage.ClosePayment // the till's payments on it, when the totals differ
}

// Matches reports whether every terminal and the drawer agree with the till.
func (r *Report) Matches() bool { return r.Close != nil && !r.Close.Differs }

// CashDifference is the counted cash less the expected, 0 when not counted.
func (r *Report) CashDifference() money.Cents {
	if r.Close == nil || r.Close.CashCounted == nil {
		return 0
	}
	return *r.Close.CashCounted - r.Close.CashExpected
}

// OpenError lists the open payments that stop a close from starting.
type OpenError struct{ Payments []storage.OpenPayment }

func (e *OpenError) Error() string {
	return fmt.Sprintf("%d payments are still open", len(e.Payments))
}

// Errors a caller branches on.
var (
	// ErrTerminalsOpen: some terminal's session is not closed on evidence; the close waits.
	ErrTerminalsOpen = errors.New("terminal sessions not closed")
	// ErrZUnknown: the Z report may be on paper; a person must look before another is asked.
	ErrZUnknown = errors.New("Z report outcome unknown")
	// ErrZRefused: the printer refused the Z; nothing was printed, try again when fixed.
	ErrZRefused = errors.New("Z report refused by the printer")
	// ErrNoZToSettle: a person's word on the Z was given but no close waits for it.
	ErrNoZToSettle = errors.New("no close waits for a word on its Z report")
)

// Run starts a close, or resumes the one under way, and takes it as far as evidence allows.
// The report is returned whenever a close exists, with an error when it could not finish.
func (c *Closer) Run(ctx context.Context, o Options) (*Report, error) {
	cl, err := c.DB.UnfinishedClose(ctx)
	if err != nil {
		return nil, err
	}
	resumed := cl != nil
	if (o.ZOnPaper > 0 || o.ZNotOnPaper) && (cl == nil || (cl.State != storage.CloseZPrinting && cl.State != storage.CloseZUnknown)) {
		return nil, ErrNoZToSettle
	}
	if cl == nil {
		if cl, err = c.start(ctx, o); err != nil {
			return nil, err
		}
	} else if o.Cash != nil && cl.State == storage.CloseTerminals {
		if err := c.DB.SetCashCounted(ctx, cl.ID, *o.Cash); err != nil {
			return nil, err
		}
	}
	err = c.advance(ctx, cl.ID, resumed, o)
	rep, rerr := c.report(ctx, cl.ID, resumed)
	if err == nil {
		err = rerr
	}
	return rep, err
}

// start records a new close with the terminals enabled now, unless open payments stop it.
func (c *Closer) start(ctx context.Context, o Options) (*storage.Close, error) {
	open, err := c.DB.OpenPayments(ctx)
	if err != nil {
		return nil, err
	}
	if len(open) > 0 && !o.AcknowledgeOpen {
		return nil, &OpenError{Payments: open}
	}
	cl := storage.Close{ID: storage.NewID(), Operator: o.Operator}
	cl.CashCounted, cl.OpenPayments = o.Cash, open
	for _, d := range c.Devices {
		cl.Terminals = append(cl.Terminals, storage.CloseTerminal{TerminalID: d.TerminalID, DeviceID: d.ID, Name: d.Name, Shared: d.Shared})
	}
	if err := c.DB.StartClose(ctx, cl); err != nil {
		return nil, err
	}
	return &cl, nil
}

// advance walks the close's state machine from its recorded state.
func (c *Closer) advance(ctx context.Context, id string, resumed bool, o Options) error {
	cl, err := c.DB.LoadClose(ctx, id)
	if err != nil {
		return err
	}
	switch cl.State {
	case storage.CloseDone:
		return nil
	case storage.CloseZPrinting:
		// Read from the database: a run before this one asked for the Z and its answer is lost.
		if err := c.DB.MoveZ(ctx, id, storage.CloseZPrinting, storage.CloseZUnknown, "the answer to the Z was lost"); err != nil {
			return err
		}
		return c.settleZ(ctx, id, o)
	case storage.CloseZUnknown:
		return c.settleZ(ctx, id, o)
	}
	if err := c.terminals(ctx, cl); err != nil {
		return err
	}
	if _, err := c.DB.StartZ(ctx, id); err != nil {
		return err
	}
	c.step("z-intent")
	return c.printZ(ctx, id)
}

// settleZ ends a close whose Z outcome was lost, on a person's reading of the paper.
func (c *Closer) settleZ(ctx context.Context, id string, o Options) error {
	switch {
	case o.ZOnPaper > 0:
		return c.DB.FinishZ(ctx, id, storage.CloseZUnknown, fiscal.Closure{ZNumber: o.ZOnPaper},
			fmt.Sprintf("Z %d read on paper by %s", o.ZOnPaper, o.Operator))
	case o.ZNotOnPaper:
		if err := c.DB.MoveZ(ctx, id, storage.CloseZUnknown, storage.CloseTerminals, "no Z on paper, said "+o.Operator); err != nil {
			return err
		}
		if _, err := c.DB.StartZ(ctx, id); err != nil {
			return err
		}
		return c.printZ(ctx, id)
	}
	return ErrZUnknown
}

// printZ asks for the Z once the intent is recorded, and records what came back.
func (c *Closer) printZ(ctx context.Context, id string) error {
	z, err := c.Printer.DailyClosure(ctx)
	switch {
	case err == nil:
		return c.DB.FinishZ(ctx, id, storage.CloseZPrinting, z, "printed")
	case errors.Is(err, fiscal.ErrRefused) || errors.Is(err, fiscal.ErrNotReady):
		// The printer said no before printing: the Z may be asked again.
		if merr := c.DB.MoveZ(ctx, id, storage.CloseZPrinting, storage.CloseTerminals, err.Error()); merr != nil {
			return merr
		}
		return fmt.Errorf("%w: %w", ErrZRefused, err)
	default:
		ctx := context.WithoutCancel(ctx) // a cancel stops waiting, never recording
		if merr := c.DB.MoveZ(ctx, id, storage.CloseZPrinting, storage.CloseZUnknown, err.Error()); merr != nil {
			return merr
		}
		return fmt.Errorf("%w: %w", ErrZUnknown, err)
	}
}

func (c *Closer) step(name string) {
	if c.Step != nil {
		c.Step(name)
	}
}

// report reads the close back, with the till's payments of each terminal that differs.
func (c *Closer) report(ctx context.Context, id string, resumed bool) (*Report, error) {
	cl, err := c.DB.LoadClose(ctx, id)
	if err != nil {
		return nil, err
	}
	r := &Report{Close: cl, Resumed: resumed}
	for _, t := range cl.Terminals {
		tr := TerminalReport{CloseTerminal: t}
		if t.State == storage.TerminalClosed && t.Difference() != 0 {
			if tr.Payments, err = c.DB.ClosePayments(ctx, id, t.TerminalID); err != nil {
				return r, err
			}
		}
		r.Terminals = append(r.Terminals, tr)
	}
	return r, nil
}

// TerminalsError names the terminals whose session is not closed yet.
type TerminalsError struct {
	Terminals []string // the terminal ids, for a screen that words the problem in its own language
	Problems  []string // "id: what happened", for logs and the command line
}

func (e *TerminalsError) Error() string {
	return ErrTerminalsOpen.Error() + ": " + strings.Join(e.Problems, "; ")
}

func (e *TerminalsError) Unwrap() error { return ErrTerminalsOpen }
