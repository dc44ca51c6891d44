package storage

import (
	"context"
	"fmt"
	"sort"
	"time"

	"till/fiscal"
	"till/money"
)

// DayJournal is the journal of one business day, whole: every sale with its document,
// operator, lines and payments, the VAT per rate and the day's totals. `till journal --json`
// prints it as is: the JSON names are part of the command's contract (docs/audit.md).
type DayJournal struct {
	Day   string        `json:"day"` // YYYY-MM-DD, the till's local business day
	Sales []JournalSale `json:"sales"`
	// VAT sums each documented sale's VAT per rate: the tax is rounded per document and rate,
	// as the printer does, then added up.
	VAT          []VATTotal        `json:"vat"`
	ByMethod     []MethodTotal     `json:"by_method"`     // documented payments of documented sales
	ByDepartment []DepartmentTotal `json:"by_department"` // lines of documented sales, after discounts
	Documented   int               `json:"documented"`    // sales documented
	Pending      int               `json:"pending"`
	Cancelled    int               `json:"cancelled"`
	TotalCents   money.Cents       `json:"total_cents"` // of the documented sales
}

// JournalSale is one sale of a DayJournal.
type JournalSale struct {
	ID         string           `json:"id"`
	CreatedAt  string           `json:"created_at"` // RFC 3339, UTC
	State      string           `json:"state"`      // pending, documented, cancelled
	Operator   int              `json:"operator"`   // the operator's number; 1 before operators
	TotalCents money.Cents      `json:"total_cents"`
	Document   *JournalDocument `json:"document"` // null until documented
	Lines      []JournalLine    `json:"lines"`
	Payments   []JournalPayment `json:"payments"`
	VAT        []VATTotal       `json:"vat"`
}

// JournalDocument is a sale's receipt or invoice.
type JournalDocument struct {
	Kind          string      `json:"kind"`   // receipt, invoice
	Number        string      `json:"number"` // ZZZZ-NNNN for a receipt, N/YYYY for an invoice
	ZNumber       int         `json:"z_number"`
	DocNumber     int         `json:"doc_number"`
	IssuedAt      string      `json:"issued_at"`
	AmountCents   money.Cents `json:"amount_cents"`
	PrinterSerial string      `json:"printer_serial"`
}

// JournalLine is a line of a sale, its amount after every discount.
type JournalLine struct {
	Description    string      `json:"description"`
	QtyMilli       int64       `json:"qty_milli"`
	UnitCents      money.Cents `json:"unit_cents"`
	AmountCents    money.Cents `json:"amount_cents"`
	Department     int         `json:"department"`
	DepartmentName string      `json:"department_name"`
	VATRate        money.Rate  `json:"vat_rate"` // hundredths of a percent
	Nature         string      `json:"nature"`   // the exemption's nature when the rate is 0
}

// JournalPayment is a payment or payment attempt of a sale; terminal data for card and Coverflex.
type JournalPayment struct {
	ID            string      `json:"id"`
	Method        string      `json:"method"` // cash, card, coverflex
	State         string      `json:"state"`
	AmountCents   money.Cents `json:"amount_cents"`
	TenderedCents money.Cents `json:"tendered_cents"`
	ChangeCents   money.Cents `json:"change_cents"`
	TerminalID    string      `json:"terminal_id"`
	STAN          string      `json:"stan"`
	AuthCode      string      `json:"auth_code"`
	MaskedPAN     string      `json:"masked_pan"`
	AcquirerID    string      `json:"acquirer_id"`
}

// VATTotal is the VAT of one rate (or exemption nature).
type VATTotal struct {
	Rate         money.Rate  `json:"rate"`
	Nature       string      `json:"nature"`
	GrossCents   money.Cents `json:"gross_cents"` // VAT included
	TaxCents     money.Cents `json:"tax_cents"`
	TaxableCents money.Cents `json:"taxable_cents"`
}

// MethodTotal is a day's takings by one payment method.
type MethodTotal struct {
	Method      string      `json:"method"`
	AmountCents money.Cents `json:"amount_cents"`
}

// DepartmentTotal is a day's takings in one department.
type DepartmentTotal struct {
	Number      int         `json:"number"`
	Name        string      `json:"name"`
	VATRate     money.Rate  `json:"vat_rate"`
	Nature      string      `json:"nature"`
	AmountCents money.Cents `json:"amount_cents"`
}

// The day's journal reads its sales through sales_by_day and each sale's rows by their keys.
const (
	daySalesSQL = `SELECT id, created_at, state, total_cents, operator_number FROM sales WHERE business_day = ?
		ORDER BY created_at, id`
	dayLinesSQL = `SELECT l.sale_id, l.description, l.qty_milli, l.unit_cents, l.amount_cents, l.department_number,
		l.department_name, l.vat_rate, l.nature FROM sales s JOIN sale_lines l ON l.sale_id = s.id
		WHERE s.business_day = ? ORDER BY l.sale_id, l.position`
	dayPaymentsSQL = `SELECT p.sale_id, p.id, p.method, p.state, p.amount_cents, p.tendered_cents, p.change_cents, p.terminal_id,
		p.stan, p.auth_code, p.masked_pan, p.acquirer_id FROM sales s JOIN payments p ON p.sale_id = s.id
		WHERE s.business_day = ? ORDER BY p.sale_id, p.created_at, p.id`
	dayDocumentsSQL = `SELECT d.sale_id, d.kind, d.number, d.z_number, d.doc_number, d.issued_at, d.amount_cents, d.printer_serial
		FROM sales s JOIN documents d ON d.sale_id = s.id WHERE s.business_day = ?`
)

// DayJournal reads the journal of the business day day (YYYY-MM-DD), oldest sale first.
func (d *DB) DayJournal(ctx context.Context, day string) (DayJournal, error) {
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return DayJournal{}, fmt.Errorf("journal of %q: %w", day, err)
	}
	j := DayJournal{Day: day, Sales: []JournalSale{}}
	if err := d.readDay(ctx, &j); err != nil {
		return DayJournal{}, fmt.Errorf("journal of %s: %w", day, err)
	}
	j.sum()
	return j, nil
}

func (d *DB) readDay(ctx context.Context, j *DayJournal) error {
	rows, err := d.sql.QueryContext(ctx, daySalesSQL, j.Day)
	if err != nil {
		return err
	}
	index := map[string]int{}
	for rows.Next() {
		s := JournalSale{Lines: []JournalLine{}, Payments: []JournalPayment{}, VAT: []VATTotal{}}
		if err := rows.Scan(&s.ID, &s.CreatedAt, &s.State, &s.TotalCents, &s.Operator); err != nil {
			rows.Close()
			return err
		}
		index[s.ID] = len(j.Sales)
		j.Sales = append(j.Sales, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if rows, err = d.sql.QueryContext(ctx, dayLinesSQL, j.Day); err != nil {
		return err
	}
	for rows.Next() {
		var id string
		var l JournalLine
		if err := rows.Scan(&id, &l.Description, &l.QtyMilli, &l.UnitCents, &l.AmountCents, &l.Department, &l.DepartmentName,
			&l.VATRate, &l.Nature); err != nil {
			rows.Close()
			return err
		}
		s := &j.Sales[index[id]]
		s.Lines = append(s.Lines, l)
	}
	rows.Close()
	if rows, err = d.sql.QueryContext(ctx, dayPaymentsSQL, j.Day); err != nil {
		return err
	}
	for rows.Next() {
		var id string
		var p JournalPayment
		if err := rows.Scan(&id, &p.ID, &p.Method, &p.State, &p.AmountCents, &p.TenderedCents, &p.ChangeCents, &p.TerminalID,
			&p.STAN, &p.AuthCode, &p.MaskedPAN, &p.AcquirerID); err != nil {
			rows.Close()
			return err
		}
		s := &j.Sales[index[id]]
		s.Payments = append(s.Payments, p)
	}
	rows.Close()
	if rows, err = d.sql.QueryContext(ctx, dayDocumentsSQL, j.Day); err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var doc JournalDocument
		if err := rows.Scan(&id, &doc.Kind, &doc.Number, &doc.ZNumber, &doc.DocNumber, &doc.IssuedAt, &doc.AmountCents,
			&doc.PrinterSerial); err != nil {
			return err
		}
		j.Sales[index[id]].Document = &doc
	}
	return rows.Err()
}

// sum fills each sale's VAT and the day's totals from the sales read.
func (j *DayJournal) sum() {
	vat := map[vatKey]*VATTotal{}
	methods := map[string]money.Cents{}
	type depKey struct {
		number int
		name   string
		rate   money.Rate
		nature string
	}
	deps := map[depKey]money.Cents{}
	for i := range j.Sales {
		s := &j.Sales[i]
		s.VAT = saleVAT(s.Lines)
		switch s.State {
		case "pending":
			j.Pending++
		case "cancelled":
			j.Cancelled++
		}
		if s.State != "documented" {
			continue
		}
		j.Documented++
		j.TotalCents += s.TotalCents
		for _, v := range s.VAT {
			t := vat[vatKey{v.Rate, v.Nature}]
			if t == nil {
				t = &VATTotal{Rate: v.Rate, Nature: v.Nature}
				vat[vatKey{v.Rate, v.Nature}] = t
			}
			t.GrossCents += v.GrossCents
			t.TaxCents += v.TaxCents
			t.TaxableCents += v.TaxableCents
		}
		for _, p := range s.Payments {
			if p.State == "documented" {
				methods[p.Method] += p.AmountCents
			}
		}
		for _, l := range s.Lines {
			deps[depKey{l.Department, l.DepartmentName, l.VATRate, l.Nature}] += l.AmountCents
		}
	}
	j.VAT = sortedVAT(vat)
	j.ByMethod = []MethodTotal{}
	for _, m := range []fiscal.PaymentMethod{fiscal.Cash, fiscal.Card, fiscal.Coverflex} {
		if v, ok := methods[string(m)]; ok {
			j.ByMethod = append(j.ByMethod, MethodTotal{Method: string(m), AmountCents: v})
		}
	}
	j.ByDepartment = []DepartmentTotal{}
	for k, v := range deps {
		j.ByDepartment = append(j.ByDepartment, DepartmentTotal{Number: k.number, Name: k.name, VATRate: k.rate, Nature: k.nature, AmountCents: v})
	}
	sort.Slice(j.ByDepartment, func(a, b int) bool {
		x, y := j.ByDepartment[a], j.ByDepartment[b]
		if x.Number != y.Number {
			return x.Number < y.Number
		}
		return x.Name < y.Name
	})
}

type vatKey struct {
	rate   money.Rate
	nature string
}

// saleVAT groups a sale's lines by rate and nature and takes the VAT inside each group,
// rounded once per group as on the document (checkout.VATBreakdown on the stored lines).
func saleVAT(lines []JournalLine) []VATTotal {
	groups := map[vatKey]*VATTotal{}
	for _, l := range lines {
		k := vatKey{l.VATRate, ""}
		if l.VATRate == 0 {
			k.nature = l.Nature
		}
		g := groups[k]
		if g == nil {
			g = &VATTotal{Rate: k.rate, Nature: k.nature}
			groups[k] = g
		}
		g.GrossCents += l.AmountCents
	}
	for _, g := range groups {
		g.TaxCents = money.VATIncluded(g.GrossCents, g.Rate)
		g.TaxableCents = g.GrossCents - g.TaxCents
	}
	return sortedVAT(groups)
}

// sortedVAT lists the groups highest rate first, as on the printer's summary.
func sortedVAT(groups map[vatKey]*VATTotal) []VATTotal {
	out := make([]VATTotal, 0, len(groups))
	for _, g := range groups {
		out = append(out, *g)
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].Rate != out[b].Rate {
			return out[a].Rate > out[b].Rate
		}
		return out[a].Nature < out[b].Nature
	})
	return out
}
