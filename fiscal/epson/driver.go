// Package epson drives Italian RT fiscal printers that speak Epson's "fpmate" XML over HTTP
// (FP-81 II RT, FP-90III RT). It builds the requests, parses the answers, and tells the caller
// exactly one of: issued, refused, not ready, or outcome unknown. It never retries a document on
// its own: after an unknown outcome the caller reconciles (see fiscal.Reconcile), and only from
// what the printer contract documents; anything beyond it is an assumption named in Config.
package epson

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"time"

	"till/fiscal"
)

// Config is one printer install.
type Config struct {
	URL         string        // e.g. "http://192.168.1.50"; the cgi path is added
	Timeout     time.Duration // per request, 20 s when zero
	ZTimeout    time.Duration // daily closure, 120 s when zero: the printer also transmits to the agency
	Departments DepartmentMap // zero value: till department = printer department
	Payments    PaymentMap    // nil: DefaultPayments; entries override the defaults one by one
	Serial      string        // printer serial for DocumentRefs; learnt from Status when empty and the printer sends it
	Client      *http.Client  // nil: a client without its own timeout (the context bounds each call)

	// StatusCounters is an ASSUMPTION, not in the printer contract: that this printer's
	// queryPrinterStatus answer carries its last document (fiscalReceiptNumber, zRepNumber and
	// fiscalReceiptAmount). Set it only for a model seen to send them. Without it LastDocument
	// answers fiscal.ErrCannotTell, so an unknown outcome is never reconciled from a guess.
	StatusCounters bool

	// ReprintByNumber is an ASSUMPTION, not in the printer contract: that this printer takes the
	// printerCommand printContentByNumbers (Epson's ePOS Fiscal Print guide) and reprints from
	// its electronic journal a document of a day by number, as a copy. The attribute names are
	// unverified (docs/spec/epson-fpmate.md, "Assumptions"). Without it ReprintDocument sends
	// nothing and answers fiscal.ErrNotSupported.
	ReprintByNumber bool
}

// Driver is an Epson RT printer. It implements fiscal.Printer and is safe for concurrent use,
// though a printer prints one document at a time.
type Driver struct {
	cfg      Config
	endpoint string
	client   *http.Client

	mu          sync.Mutex
	serial      string
	serialAsked bool // a status answer was read once for the serial, whether or not it had one
}

var _ fiscal.Printer = (*Driver)(nil)

// Codes of transport failures, in *fiscal.Error.Code.
const (
	CodeUnreachable = "TILL_PRINTER_UNREACHABLE" // nothing was sent
	CodeNoAnswer    = "TILL_NO_ANSWER"           // sent, then timeout or dropped connection
	// CodeNoNumber: the printer accepted a document but its answer lacks fiscalReceiptNumber or
	// zRepNumber, so what was issued cannot be recorded from it (ErrOutcomeUnknown).
	CodeNoNumber = "TILL_ANSWER_WITHOUT_NUMBER"
)

// New checks the configuration and returns a driver; it does not contact the printer.
func New(cfg Config) (*Driver, error) {
	u := strings.TrimRight(cfg.URL, "/")
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		return nil, fmt.Errorf("epson: printer URL %q must start with http:// or https://", cfg.URL)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 20 * time.Second
	}
	if cfg.ZTimeout <= 0 {
		cfg.ZTimeout = 120 * time.Second
	}
	client := cfg.Client
	if client == nil {
		client = &http.Client{}
	}
	return &Driver{cfg: cfg, endpoint: u + "/cgi-bin/fpmate.cgi?devid=local_printer&timeout=",
		client: client, serial: cfg.Serial}, nil
}

// post sends one request and classifies every failure. Whether the request headers were
// written decides between "nothing was sent" (not ready) and "the printer may have acted"
// (outcome unknown), so a refused connection is never mistaken for a lost receipt.
func (d *Driver) post(ctx context.Context, body []byte, timeout time.Duration) (Response, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var mu sync.Mutex
	wrote := false
	trace := &httptrace.ClientTrace{WroteHeaders: func() { mu.Lock(); wrote = true; mu.Unlock() }}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodPost,
		d.endpoint+timeoutParam(timeout), bytes.NewReader(body))
	if err != nil {
		return Response{}, fmt.Errorf("epson: %w", err)
	}
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.Header.Set("SOAPAction", `""`)
	resp, err := d.client.Do(req)
	if err != nil {
		mu.Lock()
		sent := wrote
		mu.Unlock()
		if !sent {
			return Response{}, &fiscal.Error{Kind: fiscal.ErrNotReady, Code: CodeUnreachable, Detail: err.Error()}
		}
		return Response{}, &fiscal.Error{Kind: fiscal.ErrOutcomeUnknown, Code: CodeNoAnswer, Detail: err.Error()}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return Response{}, &fiscal.Error{Kind: fiscal.ErrOutcomeUnknown, Code: CodeNoAnswer, Detail: err.Error()}
	}
	r, err := ParseResponse(data)
	if err != nil {
		return Response{}, &fiscal.Error{Kind: fiscal.ErrOutcomeUnknown, Code: CodeUnreadableAnswer,
			Detail: fmt.Sprintf("HTTP %d: %v", resp.StatusCode, err)}
	}
	return r, r.Err()
}

func (d *Driver) serialNumber() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.serial
}

// learnSerial keeps the serial a status answer carries. The contract does not list
// serialNumber there, so a printer that does not send it leaves the serial empty (set
// Config.Serial for voids and refunds) rather than being guessed.
func (d *Driver) learnSerial(r Response) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.serialAsked = true
	if s := r.Info["serialNumber"]; s != "" && d.cfg.Serial == "" {
		d.serial = s
	}
	return d.serial
}

// needSerial reports whether the serial is unknown and no status answer was read for it yet.
func (d *Driver) needSerial() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.serial == "" && !d.serialAsked
}

// issue sends a document request and reads the reference of what was printed.
func (d *Driver) issue(ctx context.Context, what string, body []byte, err error) (fiscal.DocumentRef, error) {
	if err != nil {
		return fiscal.DocumentRef{}, fmt.Errorf("%s: %w", what, err)
	}
	r, err := d.post(ctx, body, d.cfg.Timeout)
	if err != nil {
		return fiscal.DocumentRef{}, fmt.Errorf("%s: %w", what, err)
	}
	if d.needSerial() {
		// Voids and refunds need the serial: try once, best effort, after the document is out.
		_, _ = d.status(ctx)
	}
	if !r.hasNumber() {
		// Issued, but not said which: only the answer's own number may be recorded, so a person
		// reads it from the paper as after a lost answer.
		return fiscal.DocumentRef{}, fmt.Errorf("%s: %w", what, &fiscal.Error{Kind: fiscal.ErrOutcomeUnknown,
			Code: CodeNoNumber, Detail: "the printer accepted the document without saying its number"})
	}
	return r.document(d.serialNumber()), nil
}

// PrintReceipt issues a documento commerciale.
func (d *Driver) PrintReceipt(ctx context.Context, r fiscal.Receipt) (fiscal.DocumentRef, error) {
	body, err := BuildReceipt(r, d.cfg.Departments, d.cfg.Payments)
	return d.issue(ctx, "print receipt", body, err)
}

// Void issues a void (annullo) of a whole earlier document.
func (d *Driver) Void(ctx context.Context, original fiscal.DocumentRef) (fiscal.DocumentRef, error) {
	body, err := BuildVoid(original)
	return d.issue(ctx, "void "+original.ID(), body, err)
}

// Refund issues a refund (reso) of some lines of an earlier document.
func (d *Driver) Refund(ctx context.Context, original fiscal.DocumentRef, lines []fiscal.Line, payments []fiscal.Payment) (fiscal.DocumentRef, error) {
	body, err := BuildRefund(original, lines, payments, d.cfg.Departments, d.cfg.Payments)
	return d.issue(ctx, "refund "+original.ID(), body, err)
}

// DailyClosure prints the Z report; the printer then sends the day to the tax agency.
func (d *Driver) DailyClosure(ctx context.Context) (fiscal.Closure, error) {
	body, err := BuildZReport(int(d.cfg.ZTimeout.Milliseconds()))
	if err != nil {
		return fiscal.Closure{}, err
	}
	r, err := d.post(ctx, body, d.cfg.ZTimeout)
	if err != nil {
		return fiscal.Closure{}, fmt.Errorf("daily closure: %w", err)
	}
	return fiscal.Closure{ZNumber: r.int("zRepNumber"), DayTotal: r.amount("dailyAmount")}, nil
}

// XReport prints the day so far without closing it.
func (d *Driver) XReport(ctx context.Context) error {
	body, err := BuildXReport()
	if err != nil {
		return err
	}
	if _, err := d.post(ctx, body, d.cfg.Timeout); err != nil {
		return fmt.Errorf("x report: %w", err)
	}
	return nil
}

func (d *Driver) status(ctx context.Context) (Response, error) {
	body, err := BuildStatus()
	if err != nil {
		return Response{}, err
	}
	r, err := d.post(ctx, body, d.cfg.Timeout)
	if err != nil {
		return Response{}, err
	}
	d.learnSerial(r)
	return r, nil
}

// Status asks queryPrinterStatus statusType=1. A printer that answers but cannot print (paper
// out) is a Status with Ready false, not an error. LastZ and LastDocument are filled only when
// the answer carries the counters (the contract does not list them there).
func (d *Driver) Status(ctx context.Context) (fiscal.Status, error) {
	r, err := d.status(ctx)
	if err != nil {
		var fe *fiscal.Error
		if errors.As(err, &fe) && fe.Kind == fiscal.ErrNotReady && fe.Code != CodeUnreachable {
			return fiscal.Status{Ready: false, Detail: fe.Detail, Serial: d.serialNumber()}, nil
		}
		return fiscal.Status{}, fmt.Errorf("status: %w", err)
	}
	return r.asStatus(d.serialNumber()), nil
}

// LastDocument returns the last document the printer issued in the open day (Number 0 when
// none yet). The till stores it before printing so it can tell, after an unknown outcome or a
// crash, whether its document came out.
//
// The printer contract documents no query for it, so it is read from the status answer only
// under the Config.StatusCounters assumption, and only when that answer carries both
// fiscalReceiptNumber and zRepNumber. Otherwise the error wraps fiscal.ErrCannotTell: a field
// the printer did not send must never read as "no document", or a lost receipt is printed again.
func (d *Driver) LastDocument(ctx context.Context) (fiscal.DocumentRef, error) {
	if !d.cfg.StatusCounters {
		return fiscal.DocumentRef{}, fmt.Errorf("last document: status counters not assumed for this printer: %w", fiscal.ErrCannotTell)
	}
	r, err := d.status(ctx)
	if err != nil {
		return fiscal.DocumentRef{}, fmt.Errorf("last document: %w", err)
	}
	ref, err := r.lastDocument(d.serialNumber())
	if err != nil {
		return fiscal.DocumentRef{}, fmt.Errorf("last document: %w", err)
	}
	return ref, nil
}
