package fiscalcli

import (
	"errors"
	"fmt"
	"io"

	"till/app/errtext"
	"till/fiscal"
	"till/fiscal/epson"
	"till/internal/i18n"
)

// report is what a verb found; the JSON field names are a stable interface for scripts.
type report struct {
	Command       string  `json:"command"`
	OK            bool    `json:"ok"`
	Status        *status `json:"status,omitempty"`
	Document      string  `json:"document,omitempty"` // ZZZZ-NNNN
	Amount        string  `json:"amount,omitempty"`   // "0,10"
	AmountCents   int64   `json:"amountCents,omitempty"`
	ZNumber       int     `json:"zNumber,omitempty"`
	DayTotal      string  `json:"dayTotal,omitempty"`
	DayTotalCents int64   `json:"dayTotalCents,omitempty"`
	Kind          string  `json:"kind,omitempty"` // "refused", "not-ready", "outcome-unknown", "error"
	Code          string  `json:"code,omitempty"`
	PrinterStatus int     `json:"printerStatus,omitempty"`
	Error         string  `json:"error,omitempty"`
	Message       string  `json:"message,omitempty"` // for people, in the chosen language
}

// status is fiscal.Status with stable JSON names. lastZ and lastDocument are left out when the
// printer did not tell its counters, so a script never reads "not said" as 0.
type status struct {
	Ready         bool   `json:"ready"`
	PaperLow      bool   `json:"paperLow"`
	Detail        string `json:"detail,omitempty"`
	Serial        string `json:"serial"`
	LastZ         *int   `json:"lastZ,omitempty"`
	LastDocument  *int   `json:"lastDocument,omitempty"`
	DailyOpen     bool   `json:"dailyOpen"`
	FilesToSend   int    `json:"filesToSend"`
	FilesRejected int    `json:"filesRejected"`
	TrainingMode  bool   `json:"trainingMode"`
	CountersTold  bool   `json:"-"`
}

// statusOf copies what the status query always tells; the counters are added by runStatus.
func statusOf(st fiscal.Status) status {
	return status{Ready: st.Ready, PaperLow: st.PaperLow, Detail: st.Detail, Serial: st.Serial, DailyOpen: st.DailyOpen,
		FilesToSend: st.FilesToSend, FilesRejected: st.FilesRejected, TrainingMode: st.TrainingMode}
}

func (r *report) fail(err error, lang string) {
	r.OK = false
	r.Error = err.Error()
	r.Message = epson.Message(err, lang)
	switch {
	case errors.Is(err, fiscal.ErrOutcomeUnknown):
		r.Kind = "outcome-unknown"
	case errors.Is(err, fiscal.ErrNotReady):
		r.Kind = "not-ready"
	case errors.Is(err, fiscal.ErrRefused):
		r.Kind = "refused"
	default:
		r.Kind = "error"
	}
	var fe *fiscal.Error
	if errors.As(err, &fe) {
		r.Code, r.PrinterStatus = fe.Code, fe.Status
	}
}

// word is a label of the text output, in the run's language.
func word(name string) string { return i18n.T("tool.fiscal." + name) }

// writeText prints the outcome for people; err, when the verb failed, adds its technical
// detail on a line of its own under the translated message.
func writeText(stdout, stderr io.Writer, r report, err error) {
	yn := func(b bool) string {
		if b {
			return word("yes")
		}
		return word("no")
	}
	if !r.OK {
		text := word("error") + ": " + r.Message
		if d := errtext.Detail(err); d != "" {
			text += "\n" + d
		}
		fmt.Fprintln(stderr, text)
		return
	}
	switch r.Command {
	case "status":
		s := r.Status
		state := word("ready")
		if !s.Ready {
			state = word("not.ready")
			if s.Detail != "" {
				state += " (" + s.Detail + ")"
			}
		}
		fmt.Fprintf(stdout, "%s: %s\n", word("printer"), state)
		if s.PaperLow {
			fmt.Fprintln(stdout, word("paper.low"))
		}
		serial := s.Serial
		if serial == "" {
			serial = word("no.serial")
		}
		fmt.Fprintf(stdout, "%s: %s\n", word("serial"), serial)
		writeLastDocument(stdout, r)
		fmt.Fprintf(stdout, "%s: %s\n%s: %d\n%s: %d\n%s: %s\n", word("day.open"), yn(s.DailyOpen),
			word("to.send"), s.FilesToSend, word("rejected"), s.FilesRejected, word("training"), yn(s.TrainingMode))
	case "x-report":
		fmt.Fprintln(stdout, word("x"))
	case "z-report":
		fmt.Fprintln(stdout, i18n.T("tool.fiscal.z", map[string]any{"Z": r.ZNumber, "Total": r.DayTotal}))
	case "test-receipt":
		if r.Amount == "" {
			fmt.Fprintln(stdout, i18n.T("tool.fiscal.document.no.amount", map[string]any{"Document": r.Document}))
			return
		}
		fmt.Fprintln(stdout, i18n.T("tool.fiscal.document", map[string]any{"Document": r.Document, "Amount": r.Amount}))
	}
}

// writeLastDocument prints the counters only as the printer told them.
func writeLastDocument(stdout io.Writer, r report) {
	s := r.Status
	switch {
	case !s.CountersTold:
		fmt.Fprintf(stdout, "%s: %s\n", word("last.document"), word("untold"))
		return
	case r.Document == "":
		fmt.Fprintf(stdout, "%s: %s\n", word("last.document"), word("none"))
	case r.Amount != "":
		fmt.Fprintf(stdout, "%s: %s (%s €)\n", word("last.document"), r.Document, r.Amount)
	default:
		fmt.Fprintf(stdout, "%s: %s\n", word("last.document"), r.Document)
	}
	fmt.Fprintf(stdout, "%s: %d\n", word("last.z"), *s.LastZ)
}
