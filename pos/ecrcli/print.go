package ecrcli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"till/pos"
)

// printer writes one command's outcome for people or as JSON and picks the exit status.
type printer struct {
	w    io.Writer
	json bool
	en   bool
	verb string
}

// tr picks the Italian or English text.
func (p printer) tr(it, en string) string {
	if p.en {
		return en
	}
	return it
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
	what := map[string][2]string{"pay": {"Pagamento", "Payment"}, "reverse": {"Storno", "Reversal"}, "last": {"Ultimo esito", "Last result"}}[p.verb]
	name := p.tr(what[0], what[1])
	switch {
	case err != nil && errors.Is(err, pos.ErrOutcomeUnknown):
		fmt.Fprintf(p.w, "%s: %s\n  %v\n", name, p.tr("ESITO SCONOSCIUTO", "OUTCOME UNKNOWN"), err)
		if p.verb == "last" {
			fmt.Fprintln(p.w, p.tr("  L'ultimo esito del terminale non è attendibile: NON ripetere l'operazione, verificare lo scontrino del terminale (STAN, importo).",
				"  The terminal's last result cannot be trusted: do NOT repeat the operation, check the terminal's slip (STAN, amount)."))
			break
		}
		fmt.Fprintln(p.w, p.tr("  NON ripetere l'operazione: chiedere l'esito con 'till ecr last'.",
			"  Do NOT repeat it: ask for the outcome with 'till ecr last'."))
	case err != nil:
		fmt.Fprintf(p.w, "%s: %s\n  %v\n", name, p.tr("ERRORE", "ERROR"), err)
	case r.Outcome == pos.Approved:
		fmt.Fprintf(p.w, "%s: %s", name, p.tr("APPROVATO", "APPROVED"))
		if r.Authorized > 0 {
			fmt.Fprintf(p.w, " %s", r.Authorized)
		}
		fmt.Fprintf(p.w, "\n  %s %s (%s) · %s %s · STAN %s · %s %s · %s %s\n",
			p.tr("carta", "card"), r.MaskedPAN, r.EntryMode, p.tr("autorizzazione", "authorisation"), r.AuthCode,
			r.STAN, p.tr("operazione", "operation"), r.OperationNumber, p.tr("terminale", "terminal"), r.TerminalID)
	case r.Outcome == pos.Declined:
		fmt.Fprintf(p.w, "%s: %s: %s\n  STAN %s · %s %s\n", name, p.tr("RIFIUTATO", "DECLINED"), r.Text,
			r.STAN, p.tr("operazione", "operation"), r.OperationNumber)
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
	fmt.Fprintf(p.w, "%s: %v\n", p.tr("ERRORE", "ERROR"), err)
	if errors.Is(err, pos.ErrNotDelivered) {
		fmt.Fprintln(p.w, p.tr("  La richiesta non è arrivata al terminale.", "  The request did not reach the terminal."))
	}
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
	state := p.tr("NON OPERATIVO", "NOT OPERATIVE")
	if st.Operative {
		state = p.tr("operativo", "operative")
	}
	text := pos.StatusText(st.Code)
	if !p.en && st.Code >= 0 && st.Code < len(statusIT) {
		text = statusIT[st.Code]
	}
	fmt.Fprintf(p.w, "%s %s: %s (%s %d: %s)\n  %s %s · release %s\n", p.tr("Terminale", "Terminal"), st.TerminalID,
		state, p.tr("stato", "status"), st.Code, text, p.tr("data/ora", "date/time"), clock(st), st.Release)
	return code
}

// statusIT names the status codes of the protocol in Italian, as the terminal's manual does.
var statusIT = []string{"non configurato", "configurato, chiavi assenti", "operativo", "non allineato",
	"chiavi corrotte", "download in attesa", "aggiornamento in attesa"}

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
		fmt.Fprintf(p.w, "%s %s: %s (%s %s)\n", p.tr("Totale terminale", "Terminal total"), t.TerminalID,
			p.tr("RIFIUTATO dal terminale", "REFUSED by the terminal"), p.tr("esito", "result"), t.ResultCode)
		return code
	}
	fmt.Fprintf(p.w, "%s %s: %s\n", p.tr("Totale terminale", "Terminal total"), t.TerminalID, t.Terminal)
	return code
}

// closureUnknown reports a day closure whose answer was lost. C is financial and never
// sent again: the terminal may have closed the day, so the technician checks it there.
func (p printer) closureUnknown(err error) int {
	if p.json {
		p.emit(map[string]string{"command": p.verb, "outcome": "unknown", "error": err.Error()})
		return ExitUnknown
	}
	fmt.Fprintf(p.w, "%s: %s\n  %v\n", p.tr("Chiusura", "Closure"), p.tr("ESITO SCONOSCIUTO", "OUTCOME UNKNOWN"), err)
	fmt.Fprintln(p.w, p.tr(
		"  NON ripetere la chiusura: controllare il rapporto di chiusura stampato dal terminale, o i totali con 'till ecr totals' (a zero se la chiusura è avvenuta).",
		"  Do NOT repeat the close: check the closure report printed by the terminal, or its totals with 'till ecr totals' (zero if the day was closed)."))
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
		fmt.Fprintf(p.w, "%s: OK\n  %s %s · %s %s\n", p.tr("Chiusura", "Closure"), p.tr("totale terminale", "terminal total"),
			c.Terminal, p.tr("totale host", "host total"), c.Host)
		return code
	}
	fmt.Fprintf(p.w, "%s: %s: %s (%s %s)\n", p.tr("Chiusura", "Closure"), p.tr("RIFIUTATA", "REFUSED"), c.Description,
		p.tr("codice azione", "action code"), c.ActionCode)
	return code
}
