package ecrcli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"till/app/errtext"
	"till/internal/i18n"
	"till/pos"
)

// printer writes one command's outcome for people or as JSON and picks the exit status.
type printer struct {
	w    io.Writer
	json bool
	verb string
}

type resultJSON struct {
	Command         string `json:"command"`
	Outcome         string `json:"outcome"`
	Text            string `json:"text,omitempty"`
	RequestedCents  int64  `json:"requested_cents"`
	AuthorizedCents int64  `json:"authorized_cents"`
	MaskedPAN       string `json:"masked_pan,omitempty"`
	EntryMode       string `json:"entry_mode,omitempty"`
	AuthCode        string `json:"auth_code,omitempty"`
	CardType        string `json:"card_type,omitempty"`
	AcquirerID      string `json:"acquirer_id,omitempty"`
	STAN            string `json:"stan,omitempty"`
	OperationNumber string `json:"operation_number,omitempty"`
	TerminalID      string `json:"terminal_id,omitempty"`
	HostDateTime    string `json:"host_datetime,omitempty"`
	ResultCode      string `json:"result_code,omitempty"`
	Raw             string `json:"raw,omitempty"`
	Error           string `json:"error,omitempty"`
}

func (p printer) emit(v any) {
	enc := json.NewEncoder(p.w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func (p printer) progress(e pos.Event) {
	if p.json || e.Kind == pos.EventReceiptEnd {
		return
	}
	fmt.Fprintf(p.w, "  … %s\n", e.Text)
}

func (p printer) result(r pos.Result, err error) int {
	if p.json {
		j := resultJSON{Command: p.verb, Outcome: r.Outcome.String(), Text: r.Text,
			RequestedCents: int64(r.Requested), AuthorizedCents: int64(r.Authorized),
			MaskedPAN: r.MaskedPAN, EntryMode: r.EntryMode, AuthCode: r.AuthCode, CardType: r.CardType,
			AcquirerID: r.AcquirerID, STAN: r.STAN, OperationNumber: r.OperationNumber,
			TerminalID: r.TerminalID, HostDateTime: r.HostDateTime, ResultCode: r.ResultCode, Raw: string(r.Raw)}
		if err != nil {
			j.Error = err.Error()
		}
		p.emit(j)
		return exitOf(r, err)
	}
	name := i18n.T("tool.ecr." + p.verb) // pay, reverse or last
	switch {
	case err != nil && errors.Is(err, pos.ErrOutcomeUnknown):
		fmt.Fprintf(p.w, "%s: %s\n%s\n", name, i18n.T("tool.ecr.unknown"), errtext.Detail(err))
		if p.verb == "last" {
			fmt.Fprintln(p.w, "  "+i18n.T("tool.ecr.last.untrusted"))
			break
		}
		fmt.Fprintln(p.w, "  "+i18n.T("tool.ecr.ask.last"))
	case err != nil:
		fmt.Fprintf(p.w, "%s: %s\n%s\n", name, i18n.T("tool.ecr.error"), errtext.Explain(err))
	case r.Outcome == pos.Approved:
		fmt.Fprintf(p.w, "%s: %s", name, i18n.T("tool.ecr.approved"))
		if r.Authorized > 0 {
			fmt.Fprintf(p.w, " %s", r.Authorized)
		}
		fmt.Fprintln(p.w, "\n  "+i18n.T("tool.ecr.approved.detail", map[string]any{"PAN": r.MaskedPAN, "Entry": r.EntryMode,
			"Auth": r.AuthCode, "STAN": r.STAN, "Operation": r.OperationNumber, "Terminal": r.TerminalID}))
	case r.Outcome == pos.Declined:
		// r.Text is the terminal's or the acquirer's own words, shown as they are.
		fmt.Fprintf(p.w, "%s: %s: %s\n  %s\n", name, i18n.T("tool.ecr.declined"), r.Text,
			i18n.T("tool.ecr.declined.detail", map[string]any{"STAN": r.STAN, "Operation": r.OperationNumber}))
	}
	return exitOf(r, err)
}

func exitOf(r pos.Result, err error) int {
	switch {
	case err != nil:
		return ExitUnknown
	case r.Outcome == pos.Approved:
		return ExitOK
	case r.Outcome == pos.Declined:
		return ExitDeclined
	}
	return ExitUnknown
}

// fail reports an error that left no result.
func (p printer) fail(err error) int {
	if p.json {
		p.emit(map[string]string{"command": p.verb, "outcome": "error", "error": err.Error()})
		return ExitUnknown
	}
	fmt.Fprintf(p.w, "%s: %s\n", i18n.T("tool.ecr.error"), errtext.Explain(err))
	return ExitUnknown
}

func (p printer) status(st pos.Status) int {
	code := ExitOK
	if !st.Operative {
		code = ExitDeclined
	}
	if p.json {
		p.emit(map[string]any{"command": p.verb, "terminal_id": st.TerminalID, "code": st.Code,
			"operative": st.Operative, "status_text": pos.StatusText(st.Code), "datetime": st.DateTime, "release": st.Release})
		return code
	}
	state := i18n.T("tool.ecr.not.operative")
	if st.Operative {
		state = i18n.T("tool.ecr.operative")
	}
	fmt.Fprintln(p.w, i18n.T("tool.ecr.status", map[string]any{"Terminal": st.TerminalID, "State": state, "Code": st.Code,
		"Text": statusText(st.Code)}))
	fmt.Fprintln(p.w, "  "+i18n.T("tool.ecr.status.clock", map[string]any{"Clock": clock(st), "Release": st.Release}))
	return code
}

// statusText names a status code of the protocol as the terminal's manual does.
func statusText(code int) string {
	if key := fmt.Sprintf("tool.ecr.status.%d", code); i18n.Has(key) {
		return i18n.T(key)
	}
	return i18n.T("tool.ecr.status.unknown")
}

func clock(st pos.Status) string {
	if st.Time.IsZero() {
		return st.DateTime
	}
	return st.Time.Format("02/01/2006 15:04")
}

func (p printer) totals(t pos.Totals) int {
	ok := t.ResultCode == "00"
	code, outcome := ExitOK, "ok"
	if !ok {
		code, outcome = ExitDeclined, "refused"
	}
	if p.json {
		p.emit(map[string]any{"command": p.verb, "outcome": outcome, "ok": ok, "terminal_id": t.TerminalID,
			"result_code": t.ResultCode, "terminal_total_cents": int64(t.Terminal)})
		return code
	}
	if !ok {
		fmt.Fprintln(p.w, i18n.T("tool.ecr.totals.refused", map[string]any{"Terminal": t.TerminalID, "Code": t.ResultCode}))
		return code
	}
	fmt.Fprintln(p.w, i18n.T("tool.ecr.totals", map[string]any{"Terminal": t.TerminalID, "Total": t.Terminal}))
	return code
}

// closureUnknown reports a day closure whose answer was lost. C is financial and never
// sent again: the terminal may have closed the day, so the technician checks it there.
func (p printer) closureUnknown(err error) int {
	if p.json {
		p.emit(map[string]string{"command": p.verb, "outcome": "unknown", "error": err.Error()})
		return ExitUnknown
	}
	fmt.Fprintf(p.w, "%s: %s\n%s\n", i18n.T("tool.ecr.close"), i18n.T("tool.ecr.unknown"), errtext.Detail(err))
	fmt.Fprintln(p.w, "  "+i18n.T("tool.ecr.close.unknown"))
	return ExitUnknown
}

func (p printer) closure(c pos.Closure) int {
	code := ExitOK
	if !c.OK {
		code = ExitDeclined
	}
	if p.json {
		outcome := "ok"
		if !c.OK {
			outcome = "refused"
		}
		p.emit(map[string]any{"command": p.verb, "outcome": outcome, "ok": c.OK, "terminal_id": c.TerminalID, "result_code": c.ResultCode,
			"terminal_total_cents": int64(c.Terminal), "host_total_cents": int64(c.Host),
			"description": c.Description, "action_code": c.ActionCode})
		return code
	}
	if c.OK {
		fmt.Fprintln(p.w, i18n.T("tool.ecr.close.ok", map[string]any{"Terminal": c.Terminal, "Host": c.Host}))
		return code
	}
	fmt.Fprintln(p.w, i18n.T("tool.ecr.close.refused", map[string]any{"Description": c.Description, "Action": c.ActionCode}))
	return code
}
