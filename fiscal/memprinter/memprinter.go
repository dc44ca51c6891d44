// Package memprinter is an in-process fiscal printer that keeps what it "prints" in memory. The
// demo till uses it when no RT printer is configured, and tests use it to see exactly what was
// issued. It applies the checks a real RT applies to totals, so it cannot hide a till bug.
package memprinter

import (
	"context"
	"fmt"
	"sync"
	"time"

	"till/fiscal"
	"till/money"
)

// Document is one issued document as the printer recorded it.
type Document struct {
	Ref     fiscal.DocumentRef
	Kind    string // "receipt", "void", "refund"
	Receipt fiscal.Receipt
}

// Printer is safe for concurrent use.
type Printer struct {
	mu       sync.Mutex
	serial   string
	z        int
	number   int
	dayTotal money.Cents
	docs     []Document
	fault    error
	now      func() time.Time
}

// New returns a printer with the given serial number, at Z 1, document 0.
func New(serial string) *Printer {
	return &Printer{serial: serial, z: 1, now: time.Now}
}

// SetFault makes every following call fail with err (nil clears it): a fiscal.Error with
// ErrNotReady simulates paper out.
func (p *Printer) SetFault(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fault = err
}

// Documents returns a copy of everything issued so far.
func (p *Printer) Documents() []Document {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Document(nil), p.docs...)
}

// PrintReceipt checks the receipt like an RT (lines, payments covering the total) and issues it.
func (p *Printer) PrintReceipt(ctx context.Context, r fiscal.Receipt) (fiscal.DocumentRef, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fault != nil {
		return fiscal.DocumentRef{}, p.fault
	}
	if len(r.Lines) == 0 {
		return fiscal.DocumentRef{}, &fiscal.Error{Kind: fiscal.ErrRefused, Detail: "no items"}
	}
	if r.Paid() < r.Total() {
		return fiscal.DocumentRef{}, &fiscal.Error{Kind: fiscal.ErrRefused, Status: 11,
			Detail: fmt.Sprintf("payments %s below total %s", r.Paid(), r.Total())}
	}
	return p.issue("receipt", r, r.Total()), nil
}

func (p *Printer) issue(kind string, r fiscal.Receipt, amount money.Cents) fiscal.DocumentRef {
	p.number++
	ref := fiscal.DocumentRef{ZNumber: p.z, Number: p.number, IssuedAt: p.now(), Amount: amount, AmountReported: true, PrinterSerial: p.serial}
	p.docs = append(p.docs, Document{Ref: ref, Kind: kind, Receipt: r})
	if kind == "receipt" {
		p.dayTotal += amount
	} else {
		p.dayTotal -= amount
	}
	return ref
}

func (p *Printer) find(ref fiscal.DocumentRef) (Document, bool) {
	for _, d := range p.docs {
		if d.Ref.ZNumber == ref.ZNumber && d.Ref.Number == ref.Number && d.Kind == "receipt" {
			return d, true
		}
	}
	return Document{}, false
}

// Void cancels an earlier receipt of the same day, once.
func (p *Printer) Void(ctx context.Context, original fiscal.DocumentRef) (fiscal.DocumentRef, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fault != nil {
		return fiscal.DocumentRef{}, p.fault
	}
	d, ok := p.find(original)
	if !ok {
		return fiscal.DocumentRef{}, &fiscal.Error{Kind: fiscal.ErrRefused, Status: 17, Detail: "no such document"}
	}
	for _, v := range p.docs {
		if v.Kind == "void" && v.Receipt.CustomerTaxID == original.ID() {
			return fiscal.DocumentRef{}, &fiscal.Error{Kind: fiscal.ErrRefused, Status: 39, Detail: "already voided"}
		}
	}
	r := d.Receipt
	r.CustomerTaxID = original.ID() // remembers what was voided
	return p.issue("void", r, d.Ref.Amount), nil
}

// Refund returns lines of an earlier receipt.
func (p *Printer) Refund(ctx context.Context, original fiscal.DocumentRef, lines []fiscal.Line, payments []fiscal.Payment) (fiscal.DocumentRef, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fault != nil {
		return fiscal.DocumentRef{}, p.fault
	}
	if _, ok := p.find(original); !ok {
		return fiscal.DocumentRef{}, &fiscal.Error{Kind: fiscal.ErrRefused, Status: 17, Detail: "no such document"}
	}
	r := fiscal.Receipt{Lines: lines, Payments: payments, CustomerTaxID: original.ID()}
	return p.issue("refund", r, r.Total()), nil
}

// DailyClosure closes the day: Z grows by one and the day total restarts.
func (p *Printer) DailyClosure(ctx context.Context) (fiscal.Closure, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fault != nil {
		return fiscal.Closure{}, p.fault
	}
	c := fiscal.Closure{ZNumber: p.z, DayTotal: p.dayTotal}
	p.z++
	p.number, p.dayTotal = 0, 0
	return c, nil
}

// XReport prints nothing here; it only checks the printer is reachable.
func (p *Printer) XReport(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.fault
}

// Status reports the counters; a fault shows as not ready.
func (p *Printer) Status(ctx context.Context) (fiscal.Status, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := fiscal.Status{Ready: p.fault == nil, Serial: p.serial, LastZ: p.z, LastDocument: p.number, DailyOpen: p.number > 0}
	if p.fault != nil {
		s.Detail = p.fault.Error()
	}
	return s, nil
}

// NewAt returns a printer that continues from Z number z and document number n, so a demo
// till restarted on the same database never issues a document number twice.
func NewAt(serial string, z, n int) *Printer {
	p := New(serial)
	if z > 0 {
		p.z, p.number = z, n
	}
	return p
}

// LastDocument returns the last document issued today (zero Number after a closure), so the
// checkout can reconcile an unknown outcome as with a real RT. It answers even with a fault
// set: a fault stands for a failing document, and an RT answers status queries with no paper.
func (p *Printer) LastDocument(ctx context.Context) (fiscal.DocumentRef, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.docs) == 0 || p.number == 0 {
		return fiscal.DocumentRef{ZNumber: p.z, PrinterSerial: p.serial}, nil
	}
	return p.docs[len(p.docs)-1].Ref, nil
}

// PrintCourtesyInvoice prints a paper copy of an invoice: it takes the next document number
// and counts in the day, as on an Epson RT.
func (p *Printer) PrintCourtesyInvoice(ctx context.Context, inv fiscal.CourtesyInvoice) (fiscal.DocumentRef, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fault != nil {
		return fiscal.DocumentRef{}, p.fault
	}
	r := fiscal.Receipt{Lines: inv.Lines, Payments: inv.Payments, CustomerTaxID: inv.Number}
	if len(r.Lines) == 0 || len(inv.Customer) == 0 || r.Paid() < r.Total() {
		return fiscal.DocumentRef{}, &fiscal.Error{Kind: fiscal.ErrRefused, Detail: "incomplete courtesy invoice"}
	}
	return p.issue("invoice", r, r.Total()), nil
}

// PrintDuplicate prints a copy of the last document; a copy is never a new document, so no
// counter moves.
func (p *Printer) PrintDuplicate(ctx context.Context, of fiscal.DocumentRef) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fault != nil {
		return p.fault
	}
	if len(p.docs) == 0 || p.number == 0 {
		return &fiscal.Error{Kind: fiscal.ErrRefused, Status: 17, Detail: "no document today"}
	}
	last := p.docs[len(p.docs)-1]
	for i := len(p.docs) - 1; i >= 0 && p.docs[i].Kind == "copy"; i-- {
		last = p.docs[i-1]
	}
	if last.Ref.ZNumber != of.ZNumber || last.Ref.Number != of.Number {
		return &fiscal.Error{Kind: fiscal.ErrRefused, Code: "TILL_NOT_LAST_DOCUMENT", Detail: "only the last document can be reprinted"}
	}
	copyRef := last.Ref
	p.docs = append(p.docs, Document{Ref: copyRef, Kind: "copy", Receipt: last.Receipt})
	return nil
}
