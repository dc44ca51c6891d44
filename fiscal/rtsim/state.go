package rtsim

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"till/money"
)

// Item is one sold or refunded line as printed.
type Item struct {
	Description string      `json:"description"`
	QtyMilli    int64       `json:"qtyMilli"`
	UnitPrice   money.Cents `json:"unitPrice"`
	Department  int         `json:"department"`
	Discount    money.Cents `json:"discount,omitempty"`
	Amount      money.Cents `json:"amount"` // after discount
}

// Pay is one printRecTotal as printed.
type Pay struct {
	Description string      `json:"description"`
	Type        int         `json:"type"`
	Index       int         `json:"index"`
	Amount      money.Cents `json:"amount"`
}

// Entry is one issued document in the journal. Amounts are in cents.
type Entry struct {
	Kind     string      `json:"kind"` // "receipt", "void", "refund", "invoice", "copy", "zreport"
	Z        int         `json:"z"`
	Number   int         `json:"number"` // 0 for a Z report or a copy
	ID       string      `json:"id"`     // ZZZZ-NNNN, ZZZZ for a Z report, "" for a copy
	IssuedAt time.Time   `json:"issuedAt"`
	Amount   money.Cents `json:"amount"`
	Items    []Item      `json:"items,omitempty"`
	Payments []Pay       `json:"payments,omitempty"`
	Messages []string    `json:"messages,omitempty"`
	Lottery  string      `json:"lottery,omitempty"`
	Original string      `json:"original,omitempty"` // the voided, refunded or copied document's ID
	// Reference is a void's or refund's reference line as printed: KIND ZZZZ NNNN DDMMYYYY SERIAL.
	Reference string     `json:"reference,omitempty"`
	VAT       []VATTotal `json:"vat,omitempty"` // per rate, highest first
}

// VATTotal is what one VAT rate (or one nature, at 0 %) adds up to in a document: the gross of
// its items after their adjustments, and the tax it contains, rounded once per rate and
// document as an RT does.
type VATTotal struct {
	Rate   money.Rate  `json:"rate"`
	Nature string      `json:"nature,omitempty"`
	Gross  money.Cents `json:"gross"`
	Tax    money.Cents `json:"tax"`
}

// Key names the rate in DayTotals.ByVAT: the nature for 0 % ("N2.2"), else the rate ("22.00").
func (v VATTotal) Key() string {
	if v.Nature != "" {
		return v.Nature
	}
	return v.Rate.Dot()
}

// vatOf groups items by their department's rate and nature.
func (s *Server) vatOf(items []Item) []VATTotal {
	var out []VATTotal
	for _, it := range items {
		d := s.depts[it.Department]
		i := slices.IndexFunc(out, func(v VATTotal) bool { return v.Rate == d.Rate && v.Nature == d.Nature })
		if i < 0 {
			out = append(out, VATTotal{Rate: d.Rate, Nature: d.Nature})
			i = len(out) - 1
		}
		out[i].Gross += it.Amount
	}
	for i := range out {
		out[i].Tax = money.VATIncluded(out[i].Gross, out[i].Rate)
	}
	slices.SortFunc(out, func(a, b VATTotal) int {
		if a.Rate != b.Rate {
			return cmp.Compare(b.Rate, a.Rate)
		}
		return strings.Compare(a.Nature, b.Nature)
	})
	return out
}

// DayTotals are the open day's net amounts (sales less voids and refunds).
type DayTotals struct {
	Total        money.Cents            `json:"total"`
	ByPayment    map[string]money.Cents `json:"byPayment"` // "type/index"
	ByDepartment map[int]money.Cents    `json:"byDepartment"`
	ByVAT        map[string]money.Cents `json:"byVAT"` // gross per VATTotal.Key
}

func (t DayTotals) copy() DayTotals {
	c := DayTotals{Total: t.Total, ByPayment: map[string]money.Cents{}, ByDepartment: map[int]money.Cents{},
		ByVAT: map[string]money.Cents{}}
	for k, v := range t.ByVAT {
		c.ByVAT[k] = v
	}
	for k, v := range t.ByPayment {
		c.ByPayment[k] = v
	}
	for k, v := range t.ByDepartment {
		c.ByDepartment[k] = v
	}
	return c
}

// add books a document's lines and payments with sign +1 (sale) or -1 (void, refund).
func (t *DayTotals) add(e Entry, sign money.Cents) {
	t.Total += sign * e.Amount
	for _, it := range e.Items {
		t.ByDepartment[it.Department] += sign * it.Amount
	}
	for _, v := range e.VAT {
		t.ByVAT[v.Key()] += sign * v.Gross
	}
	rest := e.Amount // change given back is not takings: book payments up to the amount
	for _, p := range e.Payments {
		a := min(p.Amount, rest)
		rest -= a
		t.ByPayment[fmt.Sprintf("%d/%d", p.Type, p.Index)] += sign * a
	}
}

// issued is what the printer remembers about a document for voids and refunds.
type issued struct {
	entry    Entry
	voided   bool
	refunded bool        // nothing left to refund
	returned money.Cents // refunded so far: a receipt may be refunded in parts up to its amount
}

type state struct {
	z       int // the open day's Z number, printed on its documents
	number  int // last document number in the open day
	totals  DayTotals
	journal []Entry
	docs    map[string]*issued
	last    Entry // last document of the open day, zero when none
}

func newState() state {
	return state{z: 1, totals: DayTotals{}.copy(), docs: map[string]*issued{}}
}

func docID(z, n int) string { return fmt.Sprintf("%04d-%04d", z, n) }

// record numbers a document, books it and writes it to the journal.
func (s *Server) record(e Entry) Entry {
	s.st.number++
	e.Z, e.Number, e.ID, e.IssuedAt = s.st.z, s.st.number, docID(s.st.z, s.st.number), s.cfg.Now()
	s.st.journal = append(s.st.journal, e)
	s.st.docs[e.ID] = &issued{entry: e}
	s.st.last = e
	s.writeJournal(e)
	return e
}

func (s *Server) writeJournal(e Entry) {
	if s.cfg.Journal == nil {
		return
	}
	b, err := json.Marshal(e)
	if err == nil {
		_, _ = s.cfg.Journal.Write(append(b, '\n'))
	}
}

// Printer status digits (printer, EJ, drawer, document state, mode) the simulator answers.
const (
	printerStatusOK      = "00110"
	printerStatusOffline = "30110" // printer digit 3: offline (paper out, cover open)
)

// docInfo is the addInfo of a receipt answer as the contract documents it (and, only under
// AssumeStatusCounters, of the status answer, for the last document).
func (s *Server) docInfo(r *response, e Entry, printerStatus string) {
	r.add("lastCommand", "74")
	r.add("printerStatus", printerStatus)
	r.add("fiscalReceiptNumber", strconv.Itoa(e.Number))
	r.add("fiscalReceiptAmount", e.Amount.Decimal())
	if !e.IssuedAt.IsZero() {
		r.add("fiscalReceiptDate", e.IssuedAt.Format("2/1/2006"))
		r.add("fiscalReceiptTime", e.IssuedAt.Format("15:04"))
	}
	r.add("zRepNumber", strconv.Itoa(s.st.z))
}

// execute runs a parsed request against the state; called with s.mu held.
func (s *Server) execute(req Request, paperOut bool) response {
	switch req.Root {
	case "printerFiscalReceipt":
		e, fail := s.checkReceipt(req.Commands)
		if fail != nil {
			return *fail
		}
		e = s.commit(e)
		r := response{success: true, status: 2}
		s.docInfo(&r, e, printerStatusOK)
		return r
	case "printerFiscalDocument":
		// A courtesy invoice shares the receipts' document counter (ZZZZ-NNNN) and day totals:
		// it is a sale of the day, reconciled like a receipt.
		// The contract lists no answer for printerFiscalDocument: it answers the receipt's fields
		// (an assumption written in docs/fiscal.md, to confirm on a real printer).
		e, fail := s.checkInvoice(req.Commands)
		if fail != nil {
			return *fail
		}
		e = s.commit(e)
		r := response{success: true, status: 2}
		s.docInfo(&r, e, printerStatusOK)
		return r
	case "printerFiscalReport":
		return s.report(req.Commands)
	case "printerCommand":
		return s.command(req.Commands, paperOut)
	}
	return failure("Non valid XML command", 0)
}

// commit books a checked document, and marks the original of a void or refund.
func (s *Server) commit(e Entry) Entry {
	switch e.Kind {
	case "void":
		orig := s.st.docs[e.Original]
		orig.voided = true
		e.Amount, e.Items, e.Payments, e.VAT = orig.entry.Amount, orig.entry.Items, orig.entry.Payments, orig.entry.VAT
		s.st.totals.add(e, -1)
	case "refund":
		orig := s.st.docs[e.Original]
		orig.returned += e.Amount
		orig.refunded = orig.returned >= orig.entry.Amount
		e.VAT = s.vatOf(e.Items)
		s.st.totals.add(e, -1)
	default:
		e.VAT = s.vatOf(e.Items)
		s.st.totals.add(e, 1)
	}
	return s.record(e)
}

func (s *Server) report(cmds []Command) response {
	if len(cmds) != 1 {
		return failure("PRINTER ERROR", 11)
	}
	switch cmds[0].Name {
	case "printXReport":
		return response{success: true, status: 2}
	case "printZReport", "printXZReport":
		r := response{success: true, status: 2}
		r.add("zRepNumber", strconv.Itoa(s.st.z))
		r.add("dailyAmount", s.st.totals.Total.Decimal())
		e := Entry{Kind: "zreport", Z: s.st.z, ID: fmt.Sprintf("%04d", s.st.z), IssuedAt: s.cfg.Now(), Amount: s.st.totals.Total}
		s.st.journal = append(s.st.journal, e)
		s.writeJournal(e)
		s.st.z++
		s.st.number = 0
		s.st.totals = DayTotals{}.copy()
		s.st.last = Entry{}
		return r
	}
	return failure("Non valid XML command", 0)
}

func (s *Server) command(cmds []Command, paperOut bool) response {
	if len(cmds) != 1 {
		return failure("PRINTER ERROR", 11)
	}
	switch cmds[0].Name {
	case "queryPrinterStatus":
		return s.status(cmds[0], paperOut)
	case "printDuplicateReceipt":
		return s.duplicate()
	case "printContentByNumbers":
		if !s.cfg.AssumeContentByNumbers {
			break // not in the contract: answered as any unknown command
		}
		return s.contentByNumbers(cmds[0])
	case "directIO":
		return s.directIO(cmds[0])
	case "resetPrinter", "openDrawer", "displayText":
		return response{success: true, status: 2}
	}
	return failure("Non valid XML command", 0)
}

// status answers queryPrinterStatus with what the contract documents: printerStatus, and with
// statusType 1 the rt fields. The last document's counters and the serial are not documented
// for this answer; they are added only under Config.AssumeStatusCounters, in the order the
// simulator always sent them.
func (s *Server) status(c Command, paperOut bool) response {
	r := response{success: true, status: 2}
	ps := printerStatusOK
	if paperOut {
		ps = printerStatusOffline
	}
	if s.cfg.AssumeStatusCounters {
		s.docInfo(&r, s.st.last, ps)
		r.add("serialNumber", s.cfg.Serial)
	} else {
		r.add("printerStatus", ps)
		if s.cfg.AssumeStatusSerial {
			r.add("serialNumber", s.cfg.Serial)
		}
	}
	if t, _ := c.Attr("statusType"); t != "1" {
		return r
	}
	open := "0"
	if s.st.number > 0 {
		open = "1"
	}
	for _, kv := range [][2]string{{"rtType", "I"}, {"rtMainStatus", "02"}, {"rtSubStatus", "08"},
		{"rtDailyOpen", open}, {"rtFileToSend", "0"}, {"rtFileRejected", "0"}, {"rtTrainingMode", "0"}} {
		r.add(kv[0], kv[1])
	}
	return r
}

// CanReturnCommand is the directIO that asks whether a document can be voided or refunded.
const CanReturnCommand = "9205"

// directIO answers 9205 (can this document be voided or refunded?) from the same checks a
// void or refund document gets; other directIO commands succeed and do nothing. The data
// layout of 9205 is an assumption (docs/spec/epson-fpmate.md): the reference line's text.
func (s *Server) directIO(c Command) response {
	if cmd, _ := c.Attr("command"); cmd != CanReturnCommand {
		return response{success: true, status: 2}
	}
	data, _ := c.Attr("data")
	if _, _, fail := s.original(data); fail != nil {
		return *fail
	}
	return response{success: true, status: 2}
}
