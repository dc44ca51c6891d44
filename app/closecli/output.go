package closecli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"till/app/dayclose"
	"till/money"
	"till/storage"
)

// printer writes the close for people (Italian / English) or as JSON and picks the exit status.
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
		fmt.Fprintln(w, "Pagamenti aperti / open payments:")
		for _, o := range j.OpenPayments {
			fmt.Fprintf(w, "  %s  %-9s %-9s %s  vendita / sale %s  terminale / terminal %s\n", o.CreatedAt.Local().Format("02/01 15:04"),
				o.Method, o.State, o.Amount, o.SaleID, o.TerminalID)
		}
	}
	if j.CloseID != "" {
		resumed := ""
		if j.Resumed {
			resumed = " (ripresa / resumed)"
		}
		fmt.Fprintf(w, "Chiusura / close %s%s\n", j.CloseID, resumed)
	}
	for _, t := range j.Terminals {
		fmt.Fprintf(w, "Terminale / terminal %s (%s): %s\n", t.Name, t.TerminalID, stateText[t.State])
		fmt.Fprintf(w, "  cassa / till %s (Coverflex %s, carta / card %s) · terminale / terminal %s · differenza / difference %s\n",
			money.Cents(t.TillCents), money.Cents(t.Methods.CoverflexCents), money.Cents(t.Methods.CardCents),
			money.Cents(t.TerminalCents), money.Cents(t.DifferenceCents))
		if t.Shared {
			fmt.Fprintln(w, "  condiviso con altre casse: il totale del terminale comprende i loro pagamenti / shared with other tills: its total includes theirs")
		}
		if t.State != string(storage.TerminalClosed) && t.Evidence != "" {
			fmt.Fprintf(w, "  %s\n", t.Evidence)
		}
		for _, s := range t.Sales {
			fmt.Fprintf(w, "  vendita / sale %s  %s %s  STAN %s  %s\n", s.SaleID, s.Method, money.Cents(s.AmountCents), s.STAN,
				s.At.Local().Format("02/01 15:04"))
		}
	}
	if c := j.Cash; c != nil {
		if c.CountedCents == nil {
			fmt.Fprintf(w, "Contanti / cash: attesi / expected %s (non contati / not counted)\n", money.Cents(c.ExpectedCents))
		} else {
			fmt.Fprintf(w, "Contanti / cash: attesi / expected %s · contati / counted %s · differenza / difference %s\n",
				money.Cents(c.ExpectedCents), money.Cents(*c.CountedCents), money.Cents(c.DifferenceCents))
		}
	}
	if j.Z != nil {
		fmt.Fprintf(w, "Z n. %d · totale / total %s\n", j.Z.Number, money.Cents(j.Z.TotalCents))
	}
	switch {
	case err != nil:
		fmt.Fprintf(w, "CHIUSURA NON FINITA / CLOSE NOT FINISHED: %s\n", j.Error)
	case j.Matches:
		fmt.Fprintln(w, "Tutto corrisponde / everything matches")
	default:
		fmt.Fprintln(w, "DIFFERENZE: chiusura registrata / DIFFERENCES: close recorded")
	}
}

// stateText names a terminal's state for the manager.
var stateText = map[string]string{
	string(storage.TerminalReading): "da leggere / to read",
	string(storage.TerminalRead):    "letto, da chiudere / read, to close",
	string(storage.TerminalClosing): "chiusura inviata, esito da verificare / close sent, outcome to check",
	string(storage.TerminalClosed):  "chiuso / closed",
	string(storage.TerminalUnknown): "CHIUSURA NON VERIFICATA / CLOSE NOT PROVEN",
	string(storage.TerminalRefused): "CHIUSURA RIFIUTATA / CLOSE REFUSED",
}

// explain says what an error means for the manager and what to do next.
func explain(err error) string {
	var open *dayclose.OpenError
	switch {
	case errors.As(err, &open):
		return fmt.Sprintf("%d pagamenti aperti: risolverli, o --acknowledge-open (responsabile) / %d open payments: settle them, or --acknowledge-open (manager)",
			len(open.Payments), len(open.Payments))
	case errors.Is(err, dayclose.ErrZUnknown):
		return "esito dello Z sconosciuto: guardare la carta o il giornale della stampante, poi --z-printed N o --z-not-printed / " +
			"Z outcome unknown: look at the paper or the printer's journal, then --z-printed N or --z-not-printed: " + err.Error()
	case errors.Is(err, dayclose.ErrNoZToSettle):
		return "nessuna chiusura attende l'esito dello Z: --z-printed e --z-not-printed non servono / no close waits for its Z: " +
			"--z-printed and --z-not-printed are not needed"
	case errors.Is(err, dayclose.ErrZRefused):
		return "la stampante ha rifiutato lo Z (nulla stampato): sistemarla e rilanciare / the printer refused the Z (nothing printed): fix it and run again: " + err.Error()
	case errors.Is(err, dayclose.ErrTerminalsOpen):
		return "terminali non chiusi: rilanciare la chiusura (C non viene mai ripetuto) / terminals not closed: run the close again (C is never repeated): " + err.Error()
	}
	return err.Error()
}
