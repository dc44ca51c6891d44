package refundcli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"till/app/checkout"
	"till/fiscal"
	"till/fiscal/epson"
)

// report prints a return's outcome as text (Italian / English) or JSON.
type report struct {
	w        io.Writer
	json     bool
	kind     checkout.ReturnKind
	original string
}

type moneyJSON struct {
	Method       string `json:"method"`
	Amount       string `json:"amount"`
	AmountCents  int64  `json:"amountCents"`
	State        string `json:"state"`
	ReversalSTAN string `json:"reversalStan,omitempty"`
	Todo         string `json:"todo,omitempty"` // what a person must do
}

type resultJSON struct {
	OK          bool        `json:"ok"`
	Kind        string      `json:"kind"` // refund or void
	ID          string      `json:"id,omitempty"`
	Original    string      `json:"original"`
	State       string      `json:"state,omitempty"`
	Document    string      `json:"document,omitempty"`   // ZZZZ-NNNN of the return's document
	CreditNote  string      `json:"creditNote,omitempty"` // the credit note's number, for an invoice
	Serial      string      `json:"serial,omitempty"`
	Amount      string      `json:"amount,omitempty"`
	AmountCents int64       `json:"amountCents,omitempty"`
	Money       []moneyJSON `json:"money,omitempty"`
	Error       string      `json:"error,omitempty"`
	Exit        int         `json:"exit"`
}

func (p *report) print(r *checkout.Return, err error, code int) {
	res := resultJSON{OK: err == nil, Kind: string(p.kind), Original: p.original, Exit: code}
	if r != nil && p.original == "" {
		p.original, res.Original = r.Original.Label, r.Original.Label
	}
	if err != nil {
		res.Error = explain(err)
	}
	if r != nil {
		res.ID, res.State, res.Amount, res.AmountCents = r.ID, string(r.State), r.Amount.String(), int64(r.Amount)
		if r.Document.Number > 0 {
			res.Document, res.Serial = r.Document.ID(), r.Document.PrinterSerial
		}
		res.CreditNote = r.CreditNoteNumber
		for _, m := range r.Money {
			res.Money = append(res.Money, moneyJSON{Method: string(m.Method), Amount: m.Amount.String(),
				AmountCents: int64(m.Amount), State: string(m.State), ReversalSTAN: m.ReversalSTAN, Todo: m.Detail})
		}
	}
	if p.json {
		enc := json.NewEncoder(p.w)
		enc.SetIndent("", "  ")
		enc.Encode(res)
		return
	}
	if r == nil || (r.Document.Number == 0 && r.CreditNoteNumber == "") {
		return
	}
	what := map[checkout.ReturnKind]string{checkout.KindRefund: "reso / refund", checkout.KindVoid: "annullo / void"}[p.kind]
	doc := res.Document
	if doc == "" {
		doc = "nota di credito / credit note " + res.CreditNote
	}
	fmt.Fprintf(p.w, "%s %s di / of %s: %s\n", what, doc, p.original, r.Amount)
	for _, m := range r.Money {
		fmt.Fprintf(p.w, "  %s %s: %s\n", m.Method, m.Amount, moneyWords(m))
	}
}

func moneyWords(m checkout.MoneyBack) string {
	switch m.State {
	case checkout.MoneyDone:
		if m.Method == fiscal.Cash {
			return "da dare in contanti / hand out in cash"
		}
		return "stornato sul POS / reversed on the terminal (STAN " + m.ReversalSTAN + ")"
	case checkout.MoneyManual, checkout.MoneyUnknown:
		return "DA FARE / TO DO: " + m.Detail
	}
	return string(m.State)
}

// messages puts the errors a manager meets in words: Italian, then English.
var messages = []struct {
	err    error
	it, en string
}{
	{checkout.ErrNotManager, "Resi e annulli li fa un responsabile: serve il PIN di un responsabile.",
		"Refunds and voids are a manager's: a manager's PIN is needed."},
	{checkout.ErrReturnUncertain, "Il documento di reso o annullo potrebbe essere stato emesso: controllare la carta o il giornale elettronico della stampante prima di riprovare. Nessun rimborso è stato dato.",
		"The refund or void document may have been issued: check the paper or the printer's electronic journal before trying again. No money was given back."},
	{checkout.ErrMoneyUnknown, "Documento emesso, ma la risposta del POS allo storno è andata persa: controllare sul POS se lo storno è avvenuto (non viene ripetuto); se no, rimborsare in contanti o con uno storno manuale.",
		"Document issued, but the terminal's answer to the reversal was lost: check on the terminal whether it went through (it is not sent again); if not, refund in cash or manually."},
	{checkout.ErrAlreadyReturned, "Già reso o annullato: nulla si rende due volte. Nulla è stato stampato.",
		"Already refunded or voided: nothing is refunded twice. Nothing was printed."},
	{checkout.ErrSerialUnknown, "Matricola della stampante del documento originale sconosciuta: il riferimento non si può stampare corretto. Nulla è stato stampato.",
		"The original's printer serial is not known: the reference cannot be printed right. Nothing was printed."},
	{checkout.ErrNotReturnable, "Il documento non si può rendere o annullare così. Nulla è stato stampato.",
		"The document cannot be refunded or voided like this. Nothing was printed."},
}

// explain puts an error in words for people: Italian / English, then the technical detail.
func explain(err error) string {
	for _, m := range messages {
		if errors.Is(err, m.err) {
			return fmt.Sprintf("%s\n%s\n  (%v)", m.it, m.en, err)
		}
	}
	var fe *fiscal.Error
	if errors.As(err, &fe) {
		return fmt.Sprintf("%s\n%s\n  (%v)", epson.Message(err, "it"), epson.Message(err, "en"), err)
	}
	return err.Error()
}
