package refundcli

import (
	"encoding/json"
	"fmt"
	"io"

	"till/app/checkout"
	"till/app/errtext"
	"till/fiscal"
	"till/internal/i18n"
)

// report prints a return's outcome as text, in the run's language, or JSON.
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
	doc := res.Document
	if doc == "" {
		doc = i18n.T("cli.refund.credit.note", map[string]any{"Number": res.CreditNote})
	}
	fmt.Fprintln(p.w, i18n.T("cli.refund.done", map[string]any{"Kind": kindText(p.kind), "Document": doc, "Original": p.original,
		"Amount": r.Amount.String()}))
	for _, m := range r.Money {
		fmt.Fprintf(p.w, "  %s %s: %s\n", m.Method, m.Amount, moneyWords(m))
	}
}

// kindText names a refund or a void for people.
func kindText(k checkout.ReturnKind) string {
	if k == checkout.KindVoid {
		return i18n.T("cli.refund.kind.void")
	}
	return i18n.T("cli.refund.kind.refund")
}

func moneyWords(m checkout.MoneyBack) string {
	switch m.State {
	case checkout.MoneyDone:
		if m.Method == fiscal.Cash {
			return i18n.T("cli.refund.money.cash")
		}
		return i18n.T("cli.refund.money.reversed", map[string]any{"STAN": m.ReversalSTAN})
	case checkout.MoneyManual:
		return i18n.T("cli.refund.money.manual", map[string]any{"Amount": m.Amount.String(), "STAN": m.STAN})
	case checkout.MoneyUnknown:
		return i18n.T("cli.refund.money.unknown", map[string]any{"Amount": m.Amount.String(), "STAN": m.STAN})
	}
	return string(m.State)
}

// explain puts an error in words for people, in the run's language, then its technical detail.
func explain(err error) string { return errtext.Explain(err) }
