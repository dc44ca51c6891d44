package dayclose

import (
	"context"
	"errors"
	"fmt"

	"till/money"
	"till/pos"
	"till/storage"
)

// terminals takes every terminal of the close as far as evidence allows: each one's failure is
// kept and the others go on, so one terminal that is off does not hold the others' reading.
func (c *Closer) terminals(ctx context.Context, cl *storage.Close) error {
	var problems, ids []string
	for _, t := range cl.Terminals {
		if t.State == storage.TerminalClosed {
			continue
		}
		dev, ok := c.device(t.TerminalID)
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: not enabled on this till any more", t.TerminalID))
			ids = append(ids, t.TerminalID)
			continue
		}
		if err := c.terminal(ctx, cl.ID, t, dev); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", t.TerminalID, err))
			ids = append(ids, t.TerminalID)
		}
	}
	if len(problems) > 0 {
		return &TerminalsError{Terminals: ids, Problems: problems}
	}
	return nil
}

func (c *Closer) device(terminalID string) (Device, bool) {
	for _, d := range c.Devices {
		if d.TerminalID == terminalID {
			return d, true
		}
	}
	return Device{}, false
}

// terminal moves one terminal from its recorded state: reading → read → closing → closed.
// C is sent only from read, after closing is recorded; a terminal found closing or unknown is
// only asked its totals (T), never sent C again.
func (c *Closer) terminal(ctx context.Context, closeID string, t storage.CloseTerminal, dev Device) error {
	switch t.State {
	case storage.TerminalReading, storage.TerminalRefused:
		tot, err := dev.Terminal.Totals(ctx)
		if err != nil {
			return fmt.Errorf("totals: %w", err)
		}
		if tot.ResultCode != "00" {
			return fmt.Errorf("totals refused by the terminal (result %s)", tot.ResultCode)
		}
		if t, err = c.DB.TerminalRead(ctx, closeID, t.TerminalID, tot.Terminal); err != nil {
			return err
		}
		c.step("terminal-read")
		fallthrough
	case storage.TerminalRead:
		return c.closeSession(ctx, closeID, t, dev)
	default: // closing, unknown
		return c.askClosed(ctx, closeID, t, dev)
	}
}

// closeSession records the intent, sends C once and records its answer.
func (c *Closer) closeSession(ctx context.Context, closeID string, t storage.CloseTerminal, dev Device) error {
	if err := c.DB.MoveTerminal(ctx, closeID, t.TerminalID, storage.TerminalRead, storage.TerminalClosing, "C sent", 0); err != nil {
		return err
	}
	c.step("terminal-closing")
	cl, err := dev.Terminal.CloseSession(ctx)
	c.step("terminal-answered")
	ctx = context.WithoutCancel(ctx) // what the terminal did is recorded even when the caller gave up
	move := func(to storage.TerminalCloseState, evidence string, host money.Cents) error {
		return c.DB.MoveTerminal(ctx, closeID, t.TerminalID, storage.TerminalClosing, to, evidence, host)
	}
	switch {
	case err != nil && errors.Is(err, pos.ErrNotDelivered):
		if merr := move(storage.TerminalRead, "C not delivered: "+err.Error(), 0); merr != nil {
			return merr
		}
		return fmt.Errorf("close session: %w", err)
	case err != nil:
		if merr := move(storage.TerminalUnknown, "C sent, no answer: "+err.Error(), 0); merr != nil {
			return merr
		}
		return fmt.Errorf("close session: outcome unknown: %w", err)
	case !cl.OK:
		if merr := move(storage.TerminalRefused, fmt.Sprintf("C refused: %s %s %s", cl.ResultCode, cl.Description, cl.ActionCode), 0); merr != nil {
			return merr
		}
		return fmt.Errorf("close session refused by the terminal: %s", cl.Description)
	}
	evidence := "C 00"
	if cl.Terminal != t.Terminal {
		evidence = fmt.Sprintf("C 00, its total %s differs from the T before it %s", cl.Terminal, t.Terminal)
	}
	if err := move(storage.TerminalClosed, evidence, cl.Host); err != nil {
		return err
	}
	c.step("terminal-closed")
	return nil
}

// askClosed settles a terminal whose C may have arrived: its totals (T) tell. A session total
// of 0 means the session was reset (or held nothing, which closes to the same); anything else
// is not proof either way, so it stays unknown for the manager, who may close the session on
// the terminal itself and run the close again.
func (c *Closer) askClosed(ctx context.Context, closeID string, t storage.CloseTerminal, dev Device) error {
	tot, err := dev.Terminal.Totals(ctx)
	if err != nil {
		return fmt.Errorf("totals after a close session without answer: %w", err)
	}
	if tot.ResultCode == "00" && tot.Terminal == 0 {
		if err := c.DB.MoveTerminal(ctx, closeID, t.TerminalID, t.State, storage.TerminalClosed, "T after C: session total 0", 0); err != nil {
			return err
		}
		c.step("terminal-closed")
		return nil
	}
	evidence := fmt.Sprintf("T after C: result %s, session total %s", tot.ResultCode, tot.Terminal)
	if t.State == storage.TerminalClosing {
		if err := c.DB.MoveTerminal(ctx, closeID, t.TerminalID, t.State, storage.TerminalUnknown, evidence, 0); err != nil {
			return err
		}
	}
	return fmt.Errorf("session close not proven (%s): close it on the terminal, then run the close again", evidence)
}
