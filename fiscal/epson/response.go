package epson

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"till/fiscal"
	"till/money"
)

// Response is the printer's answer: the attributes of <response> and the addInfo fields by name.
type Response struct {
	Success bool
	Code    string
	Status  int
	Info    map[string]string
}

// OK reports whether the printer did what was asked.
func (r Response) OK() bool { return r.Success && (r.Code == "" || r.Code == "SUCCESS") }

// ErrNoResponse means the body held no <response> element.
var ErrNoResponse = errors.New("no response element")

// maxInfoFields bounds addInfo so a broken or hostile peer cannot grow memory without limit.
const maxInfoFields = 64

// ParseResponse reads a response envelope by local element names, ignoring namespace prefixes.
func ParseResponse(body []byte) (Response, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	var r Response
	found := false
	depth := 0  // depth below <response>, 0 when outside it
	field := "" // addInfo child being read
	var text strings.Builder
	for {
		tok, err := d.RawToken() // no namespace translation: prefixes are ignored anyway
		if err == io.EOF {
			break
		}
		if err != nil {
			return r, fmt.Errorf("parse response: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case depth == 0 && !found && t.Name.Local == "response":
				found = true
				depth = 1
				r.Info = map[string]string{}
				readAttrs(&r, t.Attr)
			case depth == 1 && t.Name.Local == "addInfo":
				depth = 2
			case depth == 2:
				depth = 3
				field = t.Name.Local
				text.Reset()
			case depth > 0:
				depth++
			}
		case xml.CharData:
			if depth == 3 && text.Len() < 4096 {
				text.Write(t)
			}
		case xml.EndElement:
			switch {
			case depth == 3:
				if len(r.Info) < maxInfoFields {
					r.Info[field] = strings.TrimSpace(text.String())
				}
				depth = 2
			case depth == 1:
				return r, nil
			case depth > 0:
				depth--
			}
		}
	}
	if !found {
		return r, ErrNoResponse
	}
	return r, nil
}

func readAttrs(r *Response, attrs []xml.Attr) {
	for _, a := range attrs {
		v := strings.TrimSpace(a.Value)
		switch a.Name.Local {
		case "success":
			r.Success = v == "true" || v == "1"
		case "code":
			r.Code = v
		case "status":
			r.Status, _ = strconv.Atoi(v)
		}
	}
}

// Err turns a failed response into a *fiscal.Error with the right Kind; nil when OK.
func (r Response) Err() error {
	if r.OK() {
		return nil
	}
	code := r.Code
	if code == "" {
		code = "PRINTER ERROR"
	}
	kind, detail := classify(code, r.Status)
	return &fiscal.Error{Kind: kind, Code: code, Status: r.Status, Detail: detail}
}

// Native statuses that come with code "PRINTER ERROR".
var printerStatus = map[int]struct {
	kind   error
	detail string
}{
	2:  {fiscal.ErrNotReady, "paper low"},
	3:  {fiscal.ErrNotReady, "printer offline"},
	9:  {fiscal.ErrRefused, "date before the last Z report"},
	11: {fiscal.ErrRefused, "wrong command sequence"},
	13: {fiscal.ErrRefused, "bad value"},
	17: {fiscal.ErrRefused, "operation not possible"},
	18: {fiscal.ErrRefused, "operation not possible"},
	20: {fiscal.ErrRefused, "over the maximum"},
	21: {fiscal.ErrRefused, "over the limit"},
	30: {fiscal.ErrRefused, "bad P.IVA, codice fiscale or lottery code checksum"},
	34: {fiscal.ErrRefused, "function not enabled"},
	39: {fiscal.ErrRefused, "document already voided"},
	40: {fiscal.ErrRefused, "document already refunded"},
}

// classify decides whether a document may have been issued. Codes that say the printer's web
// front got no answer from the fiscal unit (FP_NO_ANSWER, LAN_TIME_OUT) leave the outcome
// unknown; everything the printer explicitly rejects is refused or not ready.
func classify(code string, status int) (error, string) {
	switch code {
	case "EPTR_REC_EMPTY":
		return fiscal.ErrNotReady, "paper out, cover open or offline"
	case "PRINTER ERROR":
		if s, ok := printerStatus[status]; ok {
			return s.kind, s.detail
		}
		return fiscal.ErrRefused, "printer error"
	case "FP_NO_ANSWER":
		return fiscal.ErrOutcomeUnknown, "fiscal unit did not answer the web service"
	case "LAN_TIME_OUT":
		return fiscal.ErrOutcomeUnknown, "printer timed out"
	case "LAN_ERROR":
		return fiscal.ErrNotReady, "printer network error"
	case "PARSER_ERROR":
		return fiscal.ErrRefused, "printer could not parse the request"
	case "NO_DATA":
		return fiscal.ErrRefused, "printer received no data"
	case "Non valid XML command":
		return fiscal.ErrRefused, "printer does not know a command"
	}
	return fiscal.ErrRefused, "unknown printer code"
}

func (r Response) int(name string) int {
	n, _ := r.intField(name)
	return n
}

// intField reads a whole number the printer stated; false when the field is absent, empty or
// unreadable, so a missing counter never reads as 0.
func (r Response) intField(name string) (int, bool) {
	v, ok := r.Info[name]
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// amount reads a comma-decimal amount ("14,70"); 0 when absent or unreadable.
func (r Response) amount(name string) money.Cents {
	c, _ := r.amountField(name)
	return c
}

// amountField reads an amount the printer stated; false when absent or unreadable.
func (r Response) amountField(name string) (money.Cents, bool) {
	v, ok := r.Info[name]
	if !ok {
		return 0, false
	}
	c, err := money.Parse(v)
	if err != nil {
		return 0, false
	}
	return c, true
}

// issuedAt reads fiscalReceiptDate (d/M/yyyy) and fiscalReceiptTime (HH:mm) in the printer's
// local time; the zero time when absent.
func (r Response) issuedAt() time.Time {
	t, err := time.ParseInLocation("2/1/2006 15:04", r.Info["fiscalReceiptDate"]+" "+r.Info["fiscalReceiptTime"], time.Local)
	if err != nil {
		return time.Time{}
	}
	return t
}

// document reads the document reference from the answer to a document request (the contract's
// receipt addInfo). AmountReported says whether fiscalReceiptAmount was stated.
func (r Response) document(serial string) fiscal.DocumentRef {
	amount, stated := r.amountField("fiscalReceiptAmount")
	return fiscal.DocumentRef{
		ZNumber:        r.int("zRepNumber"),
		Number:         r.int("fiscalReceiptNumber"),
		IssuedAt:       r.issuedAt(),
		Amount:         amount,
		PrinterSerial:  serial,
		AmountReported: stated,
	}
}

// hasNumber reports whether the answer states a document number: both zRepNumber and
// fiscalReceiptNumber, readable.
func (r Response) hasNumber() bool {
	_, hasZ := r.intField("zRepNumber")
	_, hasN := r.intField("fiscalReceiptNumber")
	return hasZ && hasN
}

// lastDocument reads the last document from a status answer. The contract does not list these
// fields for queryPrinterStatus: the caller uses it only under the StatusCounters assumption,
// and an answer without both counters cannot tell (a missing field never reads as "none").
func (r Response) lastDocument(serial string) (fiscal.DocumentRef, error) {
	if !r.hasNumber() {
		return fiscal.DocumentRef{}, fmt.Errorf("status answer without fiscalReceiptNumber and zRepNumber: %w", fiscal.ErrCannotTell)
	}
	return r.document(serial), nil
}

// asStatus reads a queryPrinterStatus answer. The contract's fields are printerStatus and the rt
// ones; LastZ and LastDocument are filled only when the printer also sent its counters.
func (r Response) asStatus(serial string) fiscal.Status {
	ps := r.Info["printerStatus"]
	st := fiscal.Status{
		Ready:         ps == "" || ps[0] == '0' || ps[0] == '2',
		PaperLow:      ps != "" && ps[0] == '2',
		Serial:        serial,
		DailyOpen:     r.Info["rtDailyOpen"] == "1",
		FilesToSend:   r.int("rtFileToSend"),
		FilesRejected: r.int("rtFileRejected"),
		TrainingMode:  r.Info["rtTrainingMode"] == "1",
	}
	if z, ok := r.intField("zRepNumber"); ok {
		st.LastZ = max(z-1, 0) // zRepNumber is the open day's Z; the last closure is the one before
	}
	if n, ok := r.intField("fiscalReceiptNumber"); ok {
		st.LastDocument = n
	}
	if !st.Ready {
		st.Detail = "printer status " + ps
	}
	return st
}
