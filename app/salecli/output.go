package salecli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"till/money"
	"till/storage"
)

// printer writes the recorded sale for a person or, with --json, for a script.
type printer struct {
	w    io.Writer
	json bool
}

type saleJSON struct {
	SaleID     string        `json:"sale_id"`
	State      string        `json:"state"`
	TotalCents int64         `json:"total_cents"`
	Change     int64         `json:"change_cents"`
	Lines      []lineJSON    `json:"lines"`
	Payments   []paymentJSON `json:"payments"`
	Document   *documentJSON `json:"document,omitempty"`
}

type lineJSON struct {
	Description   string `json:"description"`
	QuantityMilli int64  `json:"quantity_milli"`
	UnitCents     int64  `json:"unit_cents"`
	Department    int    `json:"department"`
	VATRate       int64  `json:"vat_rate"`
	Nature        string `json:"nature,omitempty"`
}

type paymentJSON struct {
	Method       string `json:"method"`
	State        string `json:"state"`
	AmountCents  int64  `json:"amount_cents"`
	Tendered     int64  `json:"tendered_cents,omitempty"`
	Change       int64  `json:"change_cents,omitempty"`
	TerminalID   string `json:"terminal_id,omitempty"`
	MerchantID   string `json:"merchant_id,omitempty"`
	MaskedPAN    string `json:"masked_pan,omitempty"`
	AuthCode     string `json:"auth_code,omitempty"`
	STAN         string `json:"stan,omitempty"`
	AcquirerID   string `json:"acquirer_id,omitempty"`
	TerminalText string `json:"terminal_text,omitempty"`
}

type documentJSON struct {
	Kind          string `json:"kind"`
	Number        string `json:"number"`
	ZNumber       int    `json:"z_number,omitempty"`
	DocNumber     int    `json:"doc_number,omitempty"`
	PrinterSerial string `json:"printer_serial,omitempty"`
	AmountCents   int64  `json:"amount_cents"`
}

func (p *printer) sale(ctx context.Context, db *storage.DB, id string, change money.Cents) error {
	st, err := db.Sale(ctx, id)
	if err != nil {
		return err
	}
	out := saleJSON{SaleID: id, State: st.State, TotalCents: int64(st.Total), Change: int64(change)}
	for _, l := range st.Lines {
		out.Lines = append(out.Lines, lineJSON{Description: l.Description, QuantityMilli: l.QtyMilli, UnitCents: int64(l.UnitPrice),
			Department: l.Department.Number, VATRate: int64(l.Department.VATRate), Nature: l.Department.Nature})
	}
	for _, c := range st.Payments {
		if c.Method != "cash" {
			continue
		}
		out.Payments = append(out.Payments, paymentJSON{Method: "cash", State: "documented", AmountCents: int64(c.Amount),
			Tendered: int64(c.Tendered), Change: int64(c.Change)})
	}
	attempts, err := db.SaleAttempts(ctx, id)
	if err != nil {
		return err
	}
	for _, a := range attempts {
		amount := a.Authorized
		if amount == 0 {
			amount = a.Requested
		}
		out.Payments = append(out.Payments, paymentJSON{Method: string(a.Method), State: string(a.State), AmountCents: int64(amount),
			TerminalID: a.TerminalID, MerchantID: a.MerchantID, MaskedPAN: a.MaskedPAN, AuthCode: a.AuthCode, STAN: a.STAN,
			AcquirerID: a.AcquirerID, TerminalText: a.TerminalText})
	}
	if st.Document != nil {
		d := st.Document
		out.Document = &documentJSON{Kind: d.Kind, Number: d.Label, ZNumber: d.ZNumber, DocNumber: d.Number,
			PrinterSerial: d.PrinterSerial, AmountCents: int64(d.Amount)}
	}
	if p.json {
		enc := json.NewEncoder(p.w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	state := map[string]string{"documented": "DOCUMENTATA", "pending": "IN SOSPESO", "cancelled": "ANNULLATA"}[st.State]
	fmt.Fprintf(p.w, "Vendita %s: %s, totale %s\n", id, state, st.Total)
	for _, l := range out.Lines {
		fmt.Fprintf(p.w, "  %s × %s  %s\n", money.Qty(l.QuantityMilli), money.Cents(l.UnitCents).Plain(), l.Description)
	}
	for _, py := range out.Payments {
		fmt.Fprintf(p.w, "  pagamento %s (%s): %s", py.Method, py.State, money.Cents(py.AmountCents))
		if py.STAN != "" {
			fmt.Fprintf(p.w, " · terminale %s · carta %s · aut. %s · STAN %s", py.TerminalID, py.MaskedPAN, py.AuthCode, py.STAN)
		}
		if py.TerminalText != "" {
			fmt.Fprintf(p.w, " · %s", py.TerminalText)
		}
		fmt.Fprintln(p.w)
	}
	if out.Document != nil {
		kind := map[string]string{"receipt": "scontrino", "invoice": "fattura"}[out.Document.Kind]
		fmt.Fprintf(p.w, "  documento: %s %s\n", kind, out.Document.Number)
	}
	if change > 0 {
		fmt.Fprintf(p.w, "  resto %s\n", change)
	}
	return nil
}
