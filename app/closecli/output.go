package closecli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"till/app/dayclose"
	"till/app/errtext"
	"till/internal/i18n"
	"till/money"
	"till/storage"
)

// printer writes the close for people, in the run's language, or as JSON and picks the exit status.
type printer struct {
	w    io.Writer
	json bool
}

type closeJSON struct {
	CloseID      string                `json:"close_id,omitempty"`
	State        string                `json:"state,omitempty"`
	Resumed      bool                  `json:"resumed"`
	Operator     string                `json:"operator,omitempty"`
	Matches      bool                  `json:"matches"`
	Terminals    []terminalJSON        `json:"terminals"`
	Cash         *cashJSON             `json:"cash,omitempty"`
	OpenPayments []storage.OpenPayment `json:"open_payments,omitempty"`
	Z            *zJSON                `json:"z,omitempty"`
	Error        string                `json:"error,omitempty"`
}

type terminalJSON struct {
	TerminalID      string     `json:"terminal_id"`
	DeviceID        string     `json:"device_id"`
	Name            string     `json:"name"`
	Shared          bool       `json:"shared"`
	State           string     `json:"state"`
	TillCents       int64      `json:"till_cents"`
	TerminalCents   int64      `json:"terminal_cents"`
	DifferenceCents int64      `json:"difference_cents"`
	HostCents       int64      `json:"host_cents"`
	Methods         methods    `json:"methods"`
	Evidence        string     `json:"evidence,omitempty"`
	Sales           []saleJSON `json:"sales,omitempty"`
}

// methods is the till's side split by method: ECR17 T gives one total per terminal, so the
// terminal's side has no split to compare with.
type methods struct {
	CoverflexCents int64 `json:"coverflex_cents"`
	CardCents      int64 `json:"card_cents"`
}

type saleJSON struct {
	SaleID      string    `json:"sale_id"`
	PaymentID   string    `json:"payment_id"`
	Method      string    `json:"method"`
	AmountCents int64     `json:"amount_cents"`
	STAN        string    `json:"stan,omitempty"`
	At          time.Time `json:"at"`
}

type cashJSON struct {
	ExpectedCents   int64  `json:"expected_cents"`
	CountedCents    *int64 `json:"counted_cents,omitempty"`
	DifferenceCents int64  `json:"difference_cents"`
}

type zJSON struct {
	Number     int    `json:"number"`
	TotalCents int64  `json:"total_cents"`
	Evidence   string `json:"evidence,omitempty"`
}

// report prints the close and returns the exit status: 0 all matches, 1 a difference (the
// close is finished and recorded), 2 an error or a close not finished.
func (p *printer) report(rep *dayclose.Report, err error) int {
	j := toJSON(rep, err)
	code := exitError
	if err == nil && rep != nil && rep.Close.State == storage.CloseDone {
		code = exitDiffer
		if rep.Matches() {
			code = exitMatch
		}
	}
	if p.json {
		enc := json.NewEncoder(p.w)
		enc.SetIndent("", "  ")
		enc.Encode(j)
		return code
	}
	p.text(j, err)
	return code
}

func toJSON(rep *dayclose.Report, err error) closeJSON {
	var j closeJSON
	if err != nil {
		j.Error = explain(err)
	}
	var open *dayclose.OpenError
	if errors.As(err, &open) {
		j.OpenPayments = open.Payments
	}
	if rep == nil {
		return j
	}
	c := rep.Close
	j.CloseID, j.State, j.Resumed, j.Operator, j.Matches = c.ID, string(c.State), rep.Resumed, c.Operator, rep.Matches()
	if c.OpenPayments != nil {
		j.OpenPayments = c.OpenPayments
	}
	j.Terminals = []terminalJSON{}
	for _, t := range rep.Terminals {
		tj := terminalJSON{TerminalID: t.TerminalID, DeviceID: t.DeviceID, Name: t.Name, Shared: t.Shared, State: string(t.State),
			TillCents: int64(t.Till), TerminalCents: int64(t.Terminal), DifferenceCents: int64(t.Difference()), HostCents: int64(t.Host),
			Methods: methods{CoverflexCents: int64(t.Coverflex), CardCents: int64(t.Card)}, Evidence: t.Evidence}
		for _, s := range t.Payments {
			tj.Sales = append(tj.Sales, saleJSON{SaleID: s.SaleID, PaymentID: s.ID, Method: s.Method, AmountCents: int64(s.Amount),
				STAN: s.STAN, At: s.At})
		}
		j.Terminals = append(j.Terminals, tj)
	}
	if c.State != storage.CloseTerminals {
		j.Cash = &cashJSON{ExpectedCents: int64(c.CashExpected), DifferenceCents: int64(rep.CashDifference())}
		if c.CashCounted != nil {
			n := int64(*c.CashCounted)
			j.Cash.CountedCents = &n
		}
	}
	if c.State == storage.CloseDone {
		j.Z = &zJSON{Number: c.ZNumber, TotalCents: int64(c.ZTotal), Evidence: c.ZEvidence}
	}
	return j
}

// text prints the close for the manager.
func (p *printer) text(j closeJSON, err error) {
	w := p.w
	if len(j.OpenPayments) > 0 {
		fmt.Fprintln(w, i18n.T("cli.close.open.title"))
		for _, o := range j.OpenPayments {
			fmt.Fprintln(w, "  "+i18n.T("cli.close.open.payment", map[string]any{"At": o.CreatedAt.Local().Format("02/01 15:04"),
				"Method": fmt.Sprintf("%-9s", o.Method), "State": fmt.Sprintf("%-9s", errtext.PaymentState(o.State)), "Amount": o.Amount.String(), "Sale": o.SaleID, "Terminal": o.TerminalID}))
		}
	}
	if j.CloseID != "" {
		if j.Resumed {
			fmt.Fprintln(w, i18n.T("cli.close.id.resumed", map[string]any{"ID": j.CloseID}))
		} else {
			fmt.Fprintln(w, i18n.T("cli.close.id", map[string]any{"ID": j.CloseID}))
		}
	}
	for _, t := range j.Terminals {
		fmt.Fprintln(w, i18n.T("cli.close.terminal", map[string]any{"Name": t.Name, "Terminal": t.TerminalID, "State": stateText(t.State)}))
		fmt.Fprintln(w, "  "+i18n.T("cli.close.terminal.totals", map[string]any{"Till": money.Cents(t.TillCents).String(),
			"Coverflex": money.Cents(t.Methods.CoverflexCents).String(), "Card": money.Cents(t.Methods.CardCents).String(),
			"TerminalTotal": money.Cents(t.TerminalCents).String(), "Difference": money.Cents(t.DifferenceCents).String()}))
		if t.Shared {
			fmt.Fprintln(w, "  "+i18n.T("cli.close.terminal.shared"))
		}
		if t.State != string(storage.TerminalClosed) && t.Evidence != "" {
			fmt.Fprintf(w, "  %s\n", t.Evidence)
		}
		for _, s := range t.Sales {
			fmt.Fprintln(w, "  "+i18n.T("cli.close.terminal.sale", map[string]any{"Sale": s.SaleID, "Method": s.Method,
				"Amount": money.Cents(s.AmountCents).String(), "STAN": s.STAN, "At": s.At.Local().Format("02/01 15:04")}))
		}
	}
	if c := j.Cash; c != nil {
		if c.CountedCents == nil {
			fmt.Fprintln(w, i18n.T("cli.close.cash.uncounted", map[string]any{"Expected": money.Cents(c.ExpectedCents).String()}))
		} else {
			fmt.Fprintln(w, i18n.T("cli.close.cash", map[string]any{"Expected": money.Cents(c.ExpectedCents).String(),
				"Counted": money.Cents(*c.CountedCents).String(), "Difference": money.Cents(c.DifferenceCents).String()}))
		}
	}
	if j.Z != nil {
		fmt.Fprintln(w, i18n.T("cli.close.z", map[string]any{"Number": j.Z.Number, "Total": money.Cents(j.Z.TotalCents).String()}))
	}
	switch {
	case err != nil:
		fmt.Fprintln(w, i18n.T("cli.close.not.finished", map[string]any{"Error": j.Error}))
	case j.Matches:
		fmt.Fprintln(w, i18n.T("cli.close.matches"))
	default:
		fmt.Fprintln(w, i18n.T("cli.close.differences"))
	}
}

// stateText names a terminal's state for the manager.
func stateText(state string) string {
	switch storage.TerminalCloseState(state) {
	case storage.TerminalReading:
		return i18n.T("cli.close.state.reading")
	case storage.TerminalRead:
		return i18n.T("cli.close.state.read")
	case storage.TerminalClosing:
		return i18n.T("cli.close.state.closing")
	case storage.TerminalClosed:
		return i18n.T("cli.close.state.closed")
	case storage.TerminalUnknown:
		return i18n.T("cli.close.state.unknown")
	case storage.TerminalRefused:
		return i18n.T("cli.close.state.refused")
	}
	return state
}

// explain says what an error means for the manager and what to do next, then its detail.
func explain(err error) string { return errtext.Explain(err) }
