package salecli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"till/app/checkout"
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
		out.Warning = explain(warning)
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
	state := map[string]string{"documented": "DOCUMENTATA", "pending": "IN SOSPESO", "cancelled": "ANNULLATA",
		"print_uncertain": "STAMPA INCERTA"}[out.State]
	fmt.Fprintf(p.w, "Vendita %s: %s, totale %s\n", id, state, st.Total)
	for _, l := range out.Lines {
		fmt.Fprintf(p.w, "  %s × %s  %s", money.Qty(l.QuantityMilli), money.Cents(l.UnitCents).Plain(), l.Description)
		if l.DiscountCents > 0 {
			fmt.Fprintf(p.w, "  sconto%s -%s", percentText(l.DiscountPercent), money.Cents(l.DiscountCents).Plain())
		}
		fmt.Fprintln(p.w)
	}
	if out.DiscountCents > 0 {
		fmt.Fprintf(p.w, "  subtotale %s, sconto sulla vendita%s -%s\n", money.Cents(out.SubtotalCents),
			percentText(out.DiscountPercent), money.Cents(out.DiscountCents).Plain())
	}
	for _, py := range out.Payments {
		fmt.Fprintf(p.w, "  pagamento %s (%s): %s", py.Method, py.State, money.Cents(py.AmountCents))
		if py.STAN != "" {
			fmt.Fprintf(p.w, " · terminale %s · carta %s · aut. %s · STAN %s", py.TerminalID, py.MaskedPAN, py.AuthCode, py.STAN)
		}
		if py.TerminalText != "" {
			fmt.Fprintf(p.w, " · %s", py.TerminalText)
		}
		if e := evidenceText[py.Evidence]; e != "" {
			fmt.Fprintf(p.w, " · %s", e)
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
	if out.Warning != "" {
		fmt.Fprintf(p.w, "  attenzione: %s\n", out.Warning)
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

// evidenceText says, in Italian, how a payment's outcome was established when the terminal's
// own answer did not say it.
var evidenceText = map[string]string{
	checkout.EvidenceLastResult:   "esito letto dall'ultima operazione del terminale",
	checkout.EvidenceNotProcessed: "il terminale non ha eseguito la richiesta: nulla addebitato",
	checkout.EvidenceNotDelivered: "la richiesta non è arrivata al terminale: nulla addebitato",
	checkout.EvidenceByHand:       "risolto a mano da un responsabile",
}

// message is an error in the words of the person at the command line: Italian, then English.
type message struct {
	err    error
	it, en string
}

var messages = []message{
	{checkout.ErrPrintUncertain,
		"SCONTRINO INCERTO: la stampante non ha confermato l'emissione. NON ristampare: controllare la carta o il giornale elettronico della stampante, poi rispondere con --resume VENDITA --printed ZZZZ-NNNN (il numero letto) oppure --not-printed (la cassa lo stampa).",
		"RECEIPT UNCERTAIN: the printer did not confirm it. Do NOT print again: check the paper or the printer's electronic journal, then answer with --resume SALE --printed ZZZZ-NNNN (the number read) or --not-printed (the till prints it)."},
	{checkout.ErrBlocked,
		"Un pagamento con esito sconosciuto è in sospeso su questa vendita o su questo terminale: NON ripeterlo. La cassa richiede l'esito al terminale a ogni avvio; altrimenti un responsabile lo risolve a mano con lo scontrino del POS.",
		"A payment with an unknown outcome holds this sale or this terminal: do NOT repeat it. The till asks the terminal at every start; otherwise a manager settles it by hand from the terminal's slip."},
	{checkout.ErrUnresolved,
		"Esito del pagamento sconosciuto: NON ripetere il pagamento. La vendita resta in sospeso; la cassa richiederà l'esito al terminale (till sale --resume VENDITA).",
		"Payment outcome unknown: do NOT repeat the payment. The sale stays pending; the till will ask the terminal again (till sale --resume SALE)."},
	{checkout.ErrDeclined, "Pagamento rifiutato: nulla è stato addebitato.", "Payment declined: nothing was charged."},
	{checkout.ErrPrinterNotReady, "Stampante non pronta: nulla è stato addebitato né stampato. Sistemare la stampante e riprovare.",
		"Printer not ready: nothing was charged or printed. Fix the printer and try again."},
	{checkout.ErrTenderTooLow, "I pagamenti non coprono il totale: aggiungere contanti (--pay cash) o un importo maggiore.",
		"The payments do not cover the total: add cash (--pay cash) or a larger amount."},
	{checkout.ErrOverDue, "Importo superiore a quanto resta da pagare.", "Amount over what is left to pay."},
	{checkout.ErrLineTooSmall, "Riga di importo inferiore a un centesimo: correggere quantità o prezzo.",
		"A line worth less than one cent: fix the quantity or the price."},
	{checkout.ErrBadDocumentNumber, "Numero di scontrino non valido: scriverlo come stampato, ZZZZ-NNNN (es. 0012-0034).",
		"Bad receipt number: write it as printed, ZZZZ-NNNN (e.g. 0012-0034)."},
	{checkout.ErrNotUncertain, "Questa vendita non attende una conferma di stampa.", "This sale is not waiting for a print confirmation."},
	{checkout.ErrOverpay, "L'importo dello scontrino POS supera quanto richiesto o quanto resta da pagare: controllare lo scontrino.",
		"The slip's amount is over what was requested or what is left to pay: check the slip."},
	{checkout.ErrBadSlip, "Dati dello scontrino POS incompleti: servono STAN (6 cifre), importo e il nome del responsabile.",
		"Slip data incomplete: the STAN (6 digits), the amount and the manager's name are needed."},
	{checkout.ErrStale, "Il pagamento è cambiato nel frattempo: nulla è stato modificato, ricontrollare la vendita.",
		"The payment changed meanwhile: nothing was changed, check the sale again."},
	{checkout.ErrDiscountNeedsConfirm, "Sconto oltre il 50%: per applicarlo aggiungere --confirm-discount. Nulla è stato addebitato né stampato.",
		"Discount over 50%: add --confirm-discount to apply it. Nothing was charged or printed."},
	{checkout.ErrBadDiscount, "Sconto non valido: una percentuale da 0,01% a 99,99% (es. 10%) o un importo (es. 1,50) che lasci almeno un centesimo da pagare. Nulla è stato addebitato né stampato.",
		"Invalid discount: a percentage from 0,01% to 99,99% (e.g. 10%) or an amount (e.g. 1,50) that leaves at least one cent to pay. Nothing was charged or printed."},
}

// explain puts an error in words for people: Italian / English, then the technical detail.
func explain(err error) string {
	var mismatch *checkout.AmountMismatch
	if errors.As(err, &mismatch) {
		return fmt.Sprintf("il totale stampato sullo scontrino %s (%s) è diverso da quello della vendita (%s): controllare lo scontrino / "+
			"the printed receipt %s totals %s, the sale %s: check the receipt", mismatch.Document, mismatch.Printed, mismatch.Sale,
			mismatch.Document, mismatch.Printed, mismatch.Sale)
	}
	for _, m := range messages {
		if errors.Is(err, m.err) {
			return fmt.Sprintf("%s\n%s\n  (%v)", m.it, m.en, err)
		}
	}
	return err.Error()
}
