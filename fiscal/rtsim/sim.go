// Package rtsim is an Epson RT fiscal printer simulator speaking fpmate XML over HTTP. It
// checks requests the way a real RT does (command order, departments, text lengths, payments
// covering the total, lottery codes), keeps the counters and day totals, and records every
// issued document in a journal tests can read. Faults make it fail the ways real printers fail.
// It is a network peer for tests and demos; the till never imports it.
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
	HangMax     time.Duration // how long no-answer holds a request at most, 60 s when zero
}

// Server is the simulator; it is an http.Handler. Safe for concurrent use; requests that change
// state are serialised like on a real printer.
type Server struct {
	cfg   Config
	depts map[int]Department
	mux   *http.ServeMux
	done  chan struct{}
	once  sync.Once

	mu    sync.Mutex
	fault fault
	st    state
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

// Close releases requests held by a no-answer fault, so an http.Server can shut down.
func (s *Server) Close() { s.once.Do(func() { close(s.done) }) }

// Serial is the printer's serial number.
func (s *Server) Serial() string { return s.cfg.Serial }

// fault is what the next requests suffer.
type fault struct {
	name   string // "", "paper-out", "printer-error", "no-answer", "drop-after-issue"
	status int    // for printer-error
	once   bool   // cleared after it fires once
}

func (f fault) String() string {
	s := f.name
	if f.name == "printer-error" {
		s += ":" + strconv.Itoa(f.status)
	}
	if f.once && s != "" {
		s = "once:" + s
	}
	return s
}

// SetFault selects a fault: "" or "none" clears; "paper-out" answers EPTR_REC_EMPTY;
// "printer-error:N" answers PRINTER ERROR with status N; "no-answer" holds every request until
// the client gives up (nothing is issued); "drop-after-issue" issues the document, journals it,
// then closes the connection without answering. A "once:" prefix clears the fault after it
// fires once, on the next document or report request.
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
	case name == "paper-out" || name == "no-answer" || name == "drop-after-issue":
		f.name = name
	case strings.HasPrefix(name, "printer-error:"):
		n, err := strconv.Atoi(strings.TrimPrefix(name, "printer-error:"))
		if err != nil || n <= 0 || n > 99 {
			return fault{}, fmt.Errorf("rtsim: bad printer-error status in %q", name)
		}
		f.name, f.status = "printer-error", n
	default:
		return fault{}, fmt.Errorf("rtsim: unknown fault %q (paper-out, printer-error:N, no-answer, drop-after-issue, once:…)", name)
	}
	return f, nil
}

// takeFault returns the fault that applies to a request and clears a once fault that fires.
// Requests that print nothing (status queries and other printerCommands) only suffer a lasting
// no-answer (a real printer answers them even with paper out), so a once fault always hits the
// next document, report or duplicate, and reconciliation can see it.
func (s *Server) takeFault(prints bool) fault {
	f := s.fault
	if f.name == "" || (!prints && (f.name != "no-answer" || f.once)) {
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
	f := s.takeFault(printsPaper(req))
	if f.name == "no-answer" {
		s.mu.Unlock()
		s.hang(r)
		return
	}
	var resp response
	switch {
	case errors.Is(perr, ErrNoData):
		resp = failure("NO_DATA", 0)
	case perr != nil:
		resp = failure("PARSER_ERROR", 0)
	case f.name == "paper-out":
		resp = failure("EPTR_REC_EMPTY", 0)
	case f.name == "printer-error":
		resp = failure("PRINTER ERROR", f.status)
	default:
		resp = s.execute(req, s.fault.name == "paper-out")
	}
	s.mu.Unlock()
	if f.name == "drop-after-issue" {
		dropConnection(w)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	_, _ = w.Write(resp.marshal())
}

// hang holds the request without answering until the client gives up or the simulator closes.
func (s *Server) hang(r *http.Request) {
	t := time.NewTimer(s.cfg.HangMax)
	defer t.Stop()
	select {
	case <-r.Context().Done():
	case <-s.done:
	case <-t.C:
	}
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
		"totals": s.st.totals.copy(), "fault": s.fault.String()}
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
