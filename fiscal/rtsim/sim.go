// Package rtsim is an Epson RT fiscal printer simulator speaking fpmate XML over HTTP. It
// checks requests the way a real RT does (command order, departments, text lengths, payments
// covering the total, lottery codes), keeps the counters and day totals, and records every
// issued document in a journal tests can read. Faults make it fail the ways real printers fail.
// It answers only what the printer contract (docs/spec/epson-fpmate.md) documents; anything
// beyond it is behind a Config flag named as an assumption, so the driver is tested against the
// documented printer by default. It is a network peer for tests and demos; the till never
// imports it.
package rtsim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"till/money"
)

// Department is one reparto programmed on the printer.
type Department struct {
	Number int
	Rate   money.Rate
	Nature string // for rate 0
}

// DefaultDepartments are 1..4 at 22%, 10%, 4% and 0%.
func DefaultDepartments() []Department {
	return []Department{{1, 2200, ""}, {2, 1000, ""}, {3, 400, ""}, {4, 0, "N2.2"}}
}

// Config sets up a simulator.
type Config struct {
	Serial      string       // printer serial, "99MEY000001" when empty
	Departments []Department // DefaultDepartments when empty
	Journal     io.Writer    // each issued document is appended as a JSON line; nil for none
	Fault       string       // initial fault, see SetFault
	Now         func() time.Time
	HangMax     time.Duration // how long a no-answer or hang fault holds a request at most, 60 s when zero

	// AssumeStatusCounters is an ASSUMPTION, not in the printer contract: the queryPrinterStatus
	// answer also carries the last document (lastCommand, fiscalReceiptNumber,
	// fiscalReceiptAmount, fiscalReceiptDate, fiscalReceiptTime, zRepNumber) and serialNumber,
	// as some printer models may. Off, it answers only the documented printerStatus and rt fields.
	AssumeStatusCounters bool

	// AssumeStatusSerial is an ASSUMPTION, not in the printer contract: the queryPrinterStatus
	// answer carries serialNumber (without the counters). The contract documents no way to
	// read the serial, which voids and refunds print; see docs/spec/epson-fpmate.md.
	AssumeStatusSerial bool

	// AssumeContentByNumbers is an ASSUMPTION, not in the printer contract: the printerCommand
	// printContentByNumbers (operator, dataType, day, month, year, fromNumber, toNumber attributes)
	// reprints documents of the open day from the electronic journal as copies, as the Epson ePOS
	// Fiscal Print guide describes; the attribute names are unverified. Off, the command is
	// answered like any unknown command.
	AssumeContentByNumbers bool
}

// Server is the simulator; it is an http.Handler. Safe for concurrent use; requests that change
// state are serialised like on a real printer.
type Server struct {
	cfg   Config
	depts map[int]Department
	mux   *http.ServeMux
	done  chan struct{}
	once  sync.Once

	mu      sync.Mutex
	fault   fault
	st      state
	holding int // requests held by a fault right now
}

// New returns a simulator at Z 1 with no documents.
func New(cfg Config) (*Server, error) {
	if cfg.Serial == "" {
		cfg.Serial = "99MEY000001"
	}
	if len(cfg.Departments) == 0 {
		cfg.Departments = DefaultDepartments()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HangMax <= 0 {
		cfg.HangMax = 60 * time.Second
	}
	s := &Server{cfg: cfg, depts: map[int]Department{}, mux: http.NewServeMux(), done: make(chan struct{})}
	for _, d := range cfg.Departments {
		s.depts[d.Number] = d
	}
	s.st = newState()
	if err := s.SetFault(cfg.Fault); err != nil {
		return nil, err
	}
	s.mux.HandleFunc("POST /cgi-bin/fpmate.cgi", s.serveFpmate)
	s.mux.HandleFunc("GET /journal", s.serveJournal)
	s.mux.HandleFunc("GET /state", s.serveState)
	s.mux.HandleFunc("POST /control/fault", s.serveSetFault)
	s.mux.HandleFunc("GET /control/fault", s.serveGetFault)
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Close releases requests held by a no-answer or hang fault, so an http.Server can shut down.
func (s *Server) Close() { s.once.Do(func() { close(s.done) }) }

// Serial is the printer's serial number.
func (s *Server) Serial() string { return s.cfg.Serial }

// The faults, by SetFault name.
const (
	faultPaperOut        = "paper-out"
	faultPrinterError    = "printer-error"
	faultNoAnswer        = "no-answer"
	faultNoAnswerReceipt = "no-answer-receipt"
	faultDropAfterIssue  = "drop-after-issue"
	faultHangAfterIssue  = "hang-after-issue"
)

// fault is what the next requests suffer.
type fault struct {
	name   string // "" or one of the fault names above
	status int    // for printer-error
	once   bool   // cleared after it fires once
}

func (f fault) String() string {
	s := f.name
	if f.name == faultPrinterError {
		s += ":" + strconv.Itoa(f.status)
	}
	if f.once && s != "" {
		s = "once:" + s
	}
	return s
}

// SetFault selects a fault: "" or "none" clears; "paper-out" answers EPTR_REC_EMPTY;
// "printer-error:N" answers PRINTER ERROR with status N; "no-answer" holds every request until
// the client gives up (nothing is issued); "no-answer-receipt" holds only document requests
// (receipts, voids, refunds, courtesy invoices) and issues nothing, while the status and the
// other printerCommands keep answering; "drop-after-issue" issues the document, journals it,
// then closes the connection without answering; "hang-after-issue" issues and journals it, then
// holds the answer until the client gives up. A held request ends, at the latest after
// Config.HangMax or at Close, with the connection closed and no answer. A "once:" prefix clears
// the fault after it fires once, on the next request it applies to (a document, report or
// duplicate; for no-answer-receipt a document).
func (s *Server) SetFault(name string) error {
	f, err := parseFault(name)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = f
	return nil
}

// Fault returns the current fault in SetFault syntax, "" for none.
func (s *Server) Fault() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fault.String()
}

func parseFault(name string) (fault, error) {
	name = strings.TrimSpace(name)
	var f fault
	if rest, ok := strings.CutPrefix(name, "once:"); ok {
		f.once, name = true, rest
	}
	switch {
	case name == "" || name == "none":
		return fault{}, nil
	case name == faultPaperOut || name == faultNoAnswer || name == faultNoAnswerReceipt ||
		name == faultDropAfterIssue || name == faultHangAfterIssue:
		f.name = name
	case strings.HasPrefix(name, "printer-error:"):
		n, err := strconv.Atoi(strings.TrimPrefix(name, "printer-error:"))
		if err != nil || n <= 0 || n > 99 {
			return fault{}, fmt.Errorf("rtsim: bad printer-error status in %q", name)
		}
		f.name, f.status = faultPrinterError, n
	default:
		return fault{}, fmt.Errorf("rtsim: unknown fault %q (%s, once:…)", name, FaultNames)
	}
	return f, nil
}

// FaultNames lists the faults SetFault takes, for usage texts.
const FaultNames = "paper-out, printer-error:N, no-answer, no-answer-receipt, drop-after-issue, hang-after-issue"

// appliesTo says whether a fault hits a request of class c. Requests that print nothing (status
// queries and other printerCommands) only suffer a lasting no-answer (a real printer answers
// them even with paper out), so a once fault always hits the next document, report or
// duplicate, and reconciliation can see it. no-answer-receipt hits only documents.
func (f fault) appliesTo(c class) bool {
	switch f.name {
	case "":
		return false
	case faultNoAnswer:
		return c != asks || !f.once
	case faultNoAnswerReceipt:
		return c == issues
	}
	return c != asks
}

// takeFault returns the fault that applies to a request and clears a once fault that fires.
func (s *Server) takeFault(c class) fault {
	f := s.fault
	if !f.appliesTo(c) {
		return fault{}
	}
	if f.once {
		s.fault = fault{}
	}
	return f
}

func (s *Server) serveFpmate(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return
	}
	req, perr := ParseRequest(body)
	s.mu.Lock()
	f := s.takeFault(classOf(req))
	if f.name == faultNoAnswer || f.name == faultNoAnswerReceipt {
		s.holding++ // counted under the lock that took the fault, so Held never misses it
		s.mu.Unlock()
		s.hold(w, r) // nothing was executed: nothing is issued
		return
	}
	var resp response
	switch {
	case errors.Is(perr, ErrNoData):
		resp = failure("NO_DATA", 0)
	case perr != nil:
		resp = failure("PARSER_ERROR", 0)
	case f.name == faultPaperOut:
		resp = failure("EPTR_REC_EMPTY", 0)
	case f.name == faultPrinterError:
		resp = failure("PRINTER ERROR", f.status)
	default:
		resp = s.execute(req, s.fault.name == faultPaperOut)
	}
	if f.name == faultHangAfterIssue {
		s.holding++
	}
	s.mu.Unlock()
	switch f.name {
	case faultDropAfterIssue:
		dropConnection(w)
		return
	case faultHangAfterIssue:
		s.hold(w, r) // executed and journaled: the answer is what is lost
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	_, _ = w.Write(resp.marshal())
}

// hold keeps the request without answering until the client gives up, HangMax passes or the
// simulator closes, then closes the connection: a printer that does not answer sends nothing,
// not even an empty HTTP response. The lock is not held, so status queries keep answering. The
// caller counted the request in s.holding; hold uncounts it.
func (s *Server) hold(w http.ResponseWriter, r *http.Request) {
	defer func() {
		s.mu.Lock()
		s.holding--
		s.mu.Unlock()
	}()
	t := time.NewTimer(s.cfg.HangMax)
	defer t.Stop()
	select {
	case <-r.Context().Done():
	case <-s.done:
	case <-t.C:
	}
	dropConnection(w)
}

// dropConnection closes the TCP connection without a byte of response.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // the server closes the connection; recovered by net/http
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	_ = conn.Close()
}

// Held returns how many requests a fault holds without an answer right now, so a test can wait
// for the hold instead of sleeping.
func (s *Server) Held() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.holding
}

// Journal returns a copy of every issued document, oldest first.
func (s *Server) Journal() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Entry(nil), s.st.journal...)
}

// Totals returns the open day's totals.
func (s *Server) Totals() DayTotals {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.totals.copy()
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) serveJournal(w http.ResponseWriter, _ *http.Request) { writeJSON(w, s.Journal()) }

func (s *Server) serveState(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	v := map[string]any{"serial": s.cfg.Serial, "z": s.st.z, "lastNumber": s.st.number,
		"totals": s.st.totals.copy(), "fault": s.fault.String(), "held": s.holding,
		"assumeStatusCounters": s.cfg.AssumeStatusCounters, "assumeStatusSerial": s.cfg.AssumeStatusSerial,
		"assumeContentByNumbers": s.cfg.AssumeContentByNumbers}
	s.mu.Unlock()
	writeJSON(w, v)
}

// serveSetFault takes the fault name as form value "name" or JSON {"name": "..."}.
func (s *Server) serveSetFault(w http.ResponseWriter, r *http.Request) {
	var name string
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var v struct{ Name string }
		if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&v); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		name = v.Name
	} else {
		name = r.FormValue("name")
	}
	if err := s.SetFault(name); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	writeJSON(w, map[string]string{"fault": s.Fault()})
}

func (s *Server) serveGetFault(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, map[string]string{"fault": s.Fault()})
}
