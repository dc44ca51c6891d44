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
	n, _ := strconv.Atoi(r.Info[name])
	return n
}

// amount reads a comma-decimal amount ("14,70"); 0 when absent or unreadable.
func (r Response) amount(name string) money.Cents {
	c, err := money.Parse(r.Info[name])
	if err != nil {
		return 0
	}
	return c
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

// document reads the document reference from a receipt (or status) response.
func (r Response) document(serial string) fiscal.DocumentRef {
	return fiscal.DocumentRef{
		ZNumber:       r.int("zRepNumber"),
		Number:        r.int("fiscalReceiptNumber"),
		IssuedAt:      r.issuedAt(),
		Amount:        r.amount("fiscalReceiptAmount"),
		PrinterSerial: serial,
	}
}
