package salecli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"till/app/checkout"
	"till/app/errtext"
	"till/internal/i18n"
	"till/money"
	"till/storage"
)

// printer writes the recorded sale for a person or, with --json, for a script.
type printer struct {
	w    io.Writer
	json bool
}

type saleJSON struct {
	SaleID string `json:"sale_id"`
	// State is documented, pending, cancelled, or print_uncertain: a pending sale whose receipt
	// may have been issued, waiting for --printed or --not-printed.
	State      string `json:"state"`
	TotalCents int64  `json:"total_cents"`
	// SubtotalCents is the lines' amounts after their own discounts; DiscountCents what the
	// discount on the whole sale (DiscountPercent in hundredths, or DiscountAmountCents as
	// asked) took off it.
	SubtotalCents       int64         `json:"subtotal_cents"`
	DiscountPercent     int64         `json:"discount_percent,omitempty"`
	DiscountAmountCents int64         `json:"discount_amount_cents,omitempty"`
	DiscountCents       int64         `json:"discount_cents"`
	Change              int64         `json:"change_cents"`
	Lines               []lineJSON    `json:"lines"`
	Payments            []paymentJSON `json:"payments"`
	Document            *documentJSON `json:"document,omitempty"`
	Warning             string        `json:"warning,omitempty"`
}

type lineJSON struct {
	Description   string `json:"description"`
	QuantityMilli int64  `json:"quantity_milli"`
	UnitCents     int64  `json:"unit_cents"`
	Department    int    `json:"department"`
	VATRate       int64  `json:"vat_rate"`
	Nature        string `json:"nature,omitempty"`
	// The line's own discount as asked (a percentage in hundredths or an amount) and what it
	// took, its share of the sale's discount, and AmountCents, what it adds to the total.
	DiscountPercent     int64 `json:"discount_percent,omitempty"`
	DiscountAmountCents int64 `json:"discount_amount_cents,omitempty"`
	DiscountCents       int64 `json:"discount_cents"`
	SaleDiscountCents   int64 `json:"sale_discount_cents"`
	AmountCents         int64 `json:"amount_cents"`
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
	Evidence     string `json:"evidence,omitempty"`
}

type documentJSON struct {
	Kind          string `json:"kind"`
	Number        string `json:"number"`
	ZNumber       int    `json:"z_number,omitempty"`
	DocNumber     int    `json:"doc_number,omitempty"`
	PrinterSerial string `json:"printer_serial,omitempty"`
	AmountCents   int64  `json:"amount_cents"`
}

func (p *printer) sale(ctx context.Context, db *storage.DB, id string, change money.Cents, warning error) error {
	st, err := db.Sale(ctx, id)
	if err != nil {
		return err
	}
	sale := checkout.Sale{Lines: st.Lines, Discount: st.Discount}
	out := saleJSON{SaleID: id, State: st.State, TotalCents: int64(st.Total), Change: int64(change),
		SubtotalCents: int64(sale.Subtotal()), DiscountPercent: int64(st.Discount.Percent),
		DiscountAmountCents: int64(st.Discount.Amount), DiscountCents: int64(sale.SaleDiscount())}
	if st.State == "pending" && st.PrintUncertain {
		out.State = "print_uncertain"
	}
	if warning != nil {
		out.Warning = errtext.Text(warning)
	}
	shares, nets := sale.DiscountShares(), sale.NetAmounts()
	for i, l := range st.Lines {
		out.Lines = append(out.Lines, lineJSON{Description: l.Description, QuantityMilli: l.QtyMilli, UnitCents: int64(l.UnitPrice),
			Department: l.Department.Number, VATRate: int64(l.Department.VATRate), Nature: l.Department.Nature,
			DiscountPercent: int64(l.Discount.Percent), DiscountAmountCents: int64(l.Discount.Amount),
			DiscountCents: int64(l.LineDiscount()), SaleDiscountCents: int64(shares[i]), AmountCents: int64(nets[i])})
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
			AcquirerID: a.AcquirerID, TerminalText: a.TerminalText, Evidence: a.Evidence})
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
	fmt.Fprintln(p.w, i18n.T("cli.sale.header", map[string]any{"ID": id, "State": stateText(out.State), "Total": st.Total.String()}))
	for _, l := range out.Lines {
		fmt.Fprintf(p.w, "  %s × %s  %s", money.Qty(l.QuantityMilli), money.Cents(l.UnitCents).Plain(), l.Description)
		if l.DiscountCents > 0 {
			fmt.Fprint(p.w, "  "+i18n.T("cli.sale.line.discount", map[string]any{"Percent": percentText(l.DiscountPercent),
				"Amount": money.Cents(l.DiscountCents).Plain()}))
		}
		fmt.Fprintln(p.w)
	}
	if out.DiscountCents > 0 {
		fmt.Fprintln(p.w, "  "+i18n.T("cli.sale.subtotal", map[string]any{"Subtotal": money.Cents(out.SubtotalCents).String(),
			"Percent": percentText(out.DiscountPercent), "Amount": money.Cents(out.DiscountCents).Plain()}))
	}
	for _, py := range out.Payments {
		fmt.Fprint(p.w, "  "+i18n.T("cli.sale.payment", map[string]any{"Method": py.Method, "State": errtext.PaymentState(py.State),
			"Amount": money.Cents(py.AmountCents).String()}))
		if py.STAN != "" {
			fmt.Fprint(p.w, " · "+i18n.T("cli.sale.payment.card", map[string]any{"Terminal": py.TerminalID, "Card": py.MaskedPAN,
				"Auth": py.AuthCode, "STAN": py.STAN}))
		}
		if py.TerminalText != "" {
			fmt.Fprintf(p.w, " · %s", py.TerminalText)
		}
		if e := evidenceText(py.Evidence); e != "" {
			fmt.Fprintf(p.w, " · %s", e)
		}
		fmt.Fprintln(p.w)
	}
	if out.Document != nil {
		kind := i18n.T("cli.sale.kind.receipt")
		if out.Document.Kind == "invoice" {
			kind = i18n.T("cli.sale.kind.invoice")
		}
		fmt.Fprintln(p.w, "  "+i18n.T("cli.sale.document", map[string]any{"Kind": kind, "Number": out.Document.Number}))
	}
	if change > 0 {
		fmt.Fprintln(p.w, "  "+i18n.T("cli.sale.change", map[string]any{"Change": change.String()}))
	}
	if out.Warning != "" {
		fmt.Fprintln(p.w, "  "+i18n.T("cli.warning", map[string]any{"Warning": out.Warning}))
	}
	return nil
}

// percentText is " 10%" for a percentage in hundredths, "" for none.
func percentText(hundredths int64) string {
	if hundredths == 0 {
		return ""
	}
	return " " + money.Rate(hundredths).String()
}

// stateText names a sale's state for people.
func stateText(state string) string {
	switch state {
	case "documented":
		return i18n.T("cli.sale.state.documented")
	case "pending":
		return i18n.T("cli.sale.state.pending")
	case "cancelled":
		return i18n.T("cli.sale.state.cancelled")
	case "print_uncertain":
		return i18n.T("cli.sale.state.print_uncertain")
	}
	return state
}

// evidenceText says how a payment's outcome was established when the terminal's own answer
// did not say it.
func evidenceText(evidence string) string {
	switch evidence {
	case checkout.EvidenceLastResult:
		return i18n.T("cli.sale.evidence.last_result")
	case checkout.EvidenceNotProcessed:
		return i18n.T("cli.sale.evidence.not_processed")
	case checkout.EvidenceNotDelivered:
		return i18n.T("cli.sale.evidence.not_delivered")
	case checkout.EvidenceByHand:
		return i18n.T("cli.sale.evidence.by_hand")
	}
	return ""
}

// explain puts an error in words for people, in the run's language, then its technical detail.
func explain(err error) string { return errtext.Explain(err) }
