package ecr17

import (
	"fmt"
	"strconv"

	"till/money"
)

// Request is any ECR → POS message; which fields matter depends on Code.
type Request struct {
	Code         byte // 's', 'P', 'S', 'G', 'T', 'C', 'E'
	TerminalID   string
	ECRID        string
	CardInserted bool
	PayType      int // 0 auto, 1 debit, 2 credit, 3 other
	Amount       money.Cents
	ReceiptFoot  string
	STAN         string // reversal: "000000" skips the check
	ReceiptsOn   bool   // 'E'
}

var requestLayouts = map[byte]*Layout{
	's': ReqStatus, 'P': ReqPay, 'S': ReqReverse, 'G': ReqLastResult,
	'T': ReqTotals, 'C': ReqClose, 'E': ReqReceipts,
}

// Financial reports whether a request code moves money: such a request is never re-sent
// automatically once it may have been delivered.
func Financial(code byte) bool { return code == 'P' || code == 'S' || code == 'C' }

// Payload encodes the request.
func (r Request) Payload() ([]byte, error) {
	l, ok := requestLayouts[r.Code]
	if !ok {
		return nil, fmt.Errorf("%w: unknown request code %q", ErrLayout, r.Code)
	}
	if r.Amount < 0 || r.Amount > 99_999_999 {
		return nil, fmt.Errorf("%w: amount %s out of range", ErrLayout, r.Amount)
	}
	stan := r.STAN
	if stan == "" {
		stan = "000000"
	}
	return l.Encode(map[string]string{
		fTID: r.TerminalID, fECR: r.ECRID,
		fInserted: boolDigit(r.CardInserted), fPayType: strconv.Itoa(r.PayType),
		fAmount: strconv.FormatInt(int64(r.Amount), 10), fFoot: r.ReceiptFoot,
		fSTAN: stan, fReceipts: boolDigit(r.ReceiptsOn),
	})
}

// DecodeRequest reads an ECR → POS payload (the simulator's side).
func DecodeRequest(p []byte) (Request, error) {
	if len(p) < 10 {
		return Request{}, fmt.Errorf("%w: %d bytes, shorter than the header", ErrLayout, len(p))
	}
	l, ok := requestLayouts[p[9]]
	if !ok {
		return Request{}, fmt.Errorf("%w: unknown request code %q", ErrLayout, p[9])
	}
	v, err := l.Decode(p)
	if err != nil {
		return Request{}, err
	}
	r := Request{Code: l.Code, TerminalID: v[fTID], ECRID: v[fECR], STAN: v[fSTAN],
		CardInserted: v[fInserted] == "1", ReceiptsOn: v[fReceipts] == "1", ReceiptFoot: v[fFoot]}
	if s := v[fPayType]; s != "" {
		r.PayType = int(s[0] - '0')
	}
	if s := v[fAmount]; s != "" {
		n, _ := strconv.ParseInt(s, 10, 64) // 8 digits checked by Decode: cannot fail
		r.Amount = money.Cents(n)
	}
	return r, nil
}

// Response is any POS → ECR message; which fields matter depends on Code and Result.
type Response struct {
	Code       byte // 'E', 's', 'T', 'C', 'S' (receipt)
	TerminalID string
	Result     string // "00" ok, "01" ko; empty for 's' and receipts
	// Payment family ('E').
	PAN, EntryMode, AuthCode, HostDateTime, CardType, AcquirerID, STAN, OperationNumber string
	// Text is the decline reason ('E', 'C' KO) or the receipt text ('S').
	Text string
	// Status ('s').
	DateTime string
	Status   int
	Release  string
	// Totals ('T', 'C').
	TerminalTotal, HostTotal money.Cents
	ActionCode               string
}

func (r Response) layout() (*Layout, error) {
	switch r.Code {
	case 'E':
		if r.Result == "00" {
			return RespApproved, nil
		}
		return RespDeclined, nil
	case 'C':
		if r.Result == "00" {
			return RespCloseOK, nil
		}
		return RespCloseKO, nil
	case 's':
		return RespStatus, nil
	case 'T':
		return RespTotals, nil
	case 'S':
		return RespReceipt, nil
	}
	return nil, fmt.Errorf("%w: unknown response code %q", ErrLayout, r.Code)
}

// Payload encodes the response (the simulator's side).
func (r Response) Payload() ([]byte, error) {
	l, err := r.layout()
	if err != nil {
		return nil, err
	}
	if r.TerminalTotal < 0 || r.HostTotal < 0 {
		return nil, fmt.Errorf("%w: negative total", ErrLayout)
	}
	return l.Encode(map[string]string{
		fTID: r.TerminalID, fResult: r.Result, fPAN: r.PAN, fEntry: r.EntryMode,
		fAuth: r.AuthCode, fHostTime: r.HostDateTime, fCardType: r.CardType,
		fAcquirer: r.AcquirerID, fSTAN: r.STAN, fOpNumber: r.OperationNumber,
		fText: r.Text, fDateTime: r.DateTime, fStatus: strconv.Itoa(r.Status),
		fRelease: r.Release, fTermTotal: strconv.FormatInt(int64(r.TerminalTotal), 10),
		fHostTotal: strconv.FormatInt(int64(r.HostTotal), 10), fAction: r.ActionCode,
		"zeros": "0000000000",
	})
}

// DecodeResponse reads a POS → ECR payload.
func DecodeResponse(p []byte) (Response, error) {
	if len(p) < 10 {
		return Response{}, fmt.Errorf("%w: %d bytes, shorter than the header", ErrLayout, len(p))
	}
	r := Response{Code: p[9]}
	if (r.Code == 'E' || r.Code == 'C') && len(p) >= 12 {
		r.Result = string(p[10:12])
	}
	l, err := r.layout()
	if err != nil {
		return Response{}, err
	}
	v, err := l.Decode(p)
	if err != nil {
		return Response{}, err
	}
	r.TerminalID, r.Result = v[fTID], v[fResult]
	r.PAN, r.EntryMode, r.AuthCode, r.HostDateTime = v[fPAN], v[fEntry], v[fAuth], v[fHostTime]
	r.CardType, r.AcquirerID, r.STAN, r.OperationNumber = v[fCardType], v[fAcquirer], v[fSTAN], v[fOpNumber]
	r.Text, r.DateTime, r.Release, r.ActionCode = v[fText], v[fDateTime], v[fRelease], v[fAction]
	if s := v[fStatus]; s != "" {
		r.Status = int(s[0] - '0')
	}
	// 16 digits always fit an int64; Decode has checked they are digits.
	if s := v[fTermTotal]; s != "" {
		n, _ := strconv.ParseInt(s, 10, 64)
		r.TerminalTotal = money.Cents(n)
	}
	if s := v[fHostTotal]; s != "" {
		n, _ := strconv.ParseInt(s, 10, 64)
		r.HostTotal = money.Cents(n)
	}
	return r, nil
}

func boolDigit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
