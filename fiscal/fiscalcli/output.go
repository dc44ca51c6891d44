package fiscalcli

import (
	"errors"
	"fmt"
	"io"

	"till/fiscal"
	"till/fiscal/epson"
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

// words are the labels of the text output.
var words = map[string]map[string]string{
	"it": {"ready": "pronta", "notready": "NON pronta", "printer": "Stampante", "serial": "Matricola",
		"lastz": "Ultima chiusura Z", "lastdoc": "Ultimo documento", "open": "Giornata aperta",
		"tosend": "File da inviare", "rejected": "File scartati", "training": "Modalità formazione",
		"untold": "non indicato dalla stampante (vedere il giornale elettronico)", "none": "nessuno nella giornata",
		"noserial": "non indicata dalla stampante", "yes": "sì", "no": "no", "paperlow": "Carta quasi esaurita",
		"x": "Lettura X stampata.", "z": "Chiusura giornaliera %d eseguita, totale del giorno %s €.",
		"doc": "Documento %s emesso, %s €.", "docnoamount": "Documento %s emesso (importo non indicato dalla stampante).",
		"error": "Errore"},
	"en": {"ready": "ready", "notready": "NOT ready", "printer": "Printer", "serial": "Serial",
		"lastz": "Last Z closure", "lastdoc": "Last document", "open": "Day open",
		"tosend": "Files to send", "rejected": "Files rejected", "training": "Training mode",
		"untold": "not told by the printer (see its electronic journal)", "none": "none in the day",
		"noserial": "not told by the printer", "yes": "yes", "no": "no", "paperlow": "Paper low",
		"x": "X report printed.", "z": "Daily closure %d done, day total %s €.",
		"doc": "Document %s issued, %s €.", "docnoamount": "Document %s issued (amount not told by the printer).",
		"error": "Error"},
}

func writeText(stdout, stderr io.Writer, r report, lang string) {
	w := words[lang]
	yn := func(b bool) string {
		if b {
			return w["yes"]
		}
		return w["no"]
	}
	if !r.OK {
		fmt.Fprintf(stderr, "%s: %s\n(%s)\n", w["error"], r.Message, r.Error)
		return
	}
	switch r.Command {
	case "status":
		s := r.Status
		state := w["ready"]
		if !s.Ready {
			state = w["notready"]
			if s.Detail != "" {
				state += " (" + s.Detail + ")"
			}
		}
		fmt.Fprintf(stdout, "%s: %s\n", w["printer"], state)
		if s.PaperLow {
			fmt.Fprintln(stdout, w["paperlow"])
		}
		serial := s.Serial
		if serial == "" {
			serial = w["noserial"]
		}
		fmt.Fprintf(stdout, "%s: %s\n", w["serial"], serial)
		writeLastDocument(stdout, r, w)
		fmt.Fprintf(stdout, "%s: %s\n%s: %d\n%s: %d\n%s: %s\n", w["open"], yn(s.DailyOpen),
			w["tosend"], s.FilesToSend, w["rejected"], s.FilesRejected, w["training"], yn(s.TrainingMode))
	case "x-report":
		fmt.Fprintln(stdout, w["x"])
	case "z-report":
		fmt.Fprintf(stdout, w["z"]+"\n", r.ZNumber, r.DayTotal)
	case "test-receipt":
		if r.Amount == "" {
			fmt.Fprintf(stdout, w["docnoamount"]+"\n", r.Document)
			return
		}
		fmt.Fprintf(stdout, w["doc"]+"\n", r.Document, r.Amount)
	}
}

// writeLastDocument prints the counters only as the printer told them.
func writeLastDocument(stdout io.Writer, r report, w map[string]string) {
	s := r.Status
	switch {
	case !s.CountersTold:
		fmt.Fprintf(stdout, "%s: %s\n", w["lastdoc"], w["untold"])
		return
	case r.Document == "":
		fmt.Fprintf(stdout, "%s: %s\n", w["lastdoc"], w["none"])
	case r.Amount != "":
		fmt.Fprintf(stdout, "%s: %s (%s €)\n", w["lastdoc"], r.Document, r.Amount)
	default:
		fmt.Fprintf(stdout, "%s: %s\n", w["lastdoc"], r.Document)
	}
	fmt.Fprintf(stdout, "%s: %d\n", w["lastz"], *s.LastZ)
}
