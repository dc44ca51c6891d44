package ecr17

import (
	"errors"
	"fmt"
	"strings"
)

// Kind is how a fixed-width field is padded and checked.
type Kind int

const (
	Num        Kind = iota // digits, right-aligned, zero-filled
	Alpha                  // text, left-aligned, space-filled
	AlphaRight             // text, right-aligned, space-filled (the receipt foot)
	ZeroRight              // text, right-aligned, zero-filled (masked PAN, acquirer)
	Const                  // always Field.Const
	Tail                   // text to the end of the payload, variable length
)

// Field is one column of a layout. Pos is 1-based, as in the protocol tables.
type Field struct {
	Name  string
	Pos   int
	Len   int
	Kind  Kind
	Const string
}

// Layout is the fixed-width shape of one message. MinLen is the shortest payload the
// decoder accepts (fields past the end decode as empty); zero means Len.
type Layout struct {
	Name   string
	Code   byte
	Len    int
	MinLen int
	Fields []Field
}

// ErrLayout is wrapped by every encode or decode failure.
var ErrLayout = errors.New("ecr17: bad message")

// Field names shared by the tables and the typed messages.
const (
	fTID       = "terminal_id"
	fReserved  = "reserved"
	fCode      = "code"
	fECR       = "ecr_id"
	fInserted  = "card_inserted"
	fPayType   = "payment_type"
	fAmount    = "amount"
	fFoot      = "receipt_foot"
	fSTAN      = "stan"
	fReceipts  = "receipts"
	fResult    = "result"
	fPAN       = "pan"
	fEntry     = "entry_mode"
	fAuth      = "auth_code"
	fHostTime  = "host_datetime"
	fCardType  = "card_type"
	fAcquirer  = "acquirer_id"
	fOpNumber  = "operation_number"
	fText      = "text"
	fDateTime  = "datetime"
	fStatus    = "status"
	fRelease   = "release"
	fTermTotal = "terminal_total"
	fHostTotal = "host_total"
	fAction    = "action_code"
)

// header is the common start of every message.
func header(code byte, rest ...Field) []Field {
	return append([]Field{
		{fTID, 1, 8, Num, ""},
		{fReserved, 9, 1, Const, "0"},
		{fCode, 10, 1, Const, string(code)},
	}, rest...)
}

// Request layouts, ECR → POS.
var (
	ReqStatus = &Layout{Name: "status", Code: 's', Len: 10, Fields: header('s')}
	ReqPay    = &Layout{Name: "payment", Code: 'P', Len: 167, Fields: header('P',
		Field{fECR, 11, 8, Num, ""},
		Field{"extra_data", 19, 1, Const, "0"},
		Field{"reserved2", 20, 2, Const, "00"},
		Field{fInserted, 22, 1, Num, ""},
		Field{fPayType, 23, 1, Num, ""},
		Field{fAmount, 24, 8, Num, ""},
		Field{fFoot, 32, 128, AlphaRight, ""},
		Field{"reserved3", 160, 8, Const, "00000000"},
	)}
	ReqReverse = &Layout{Name: "reversal", Code: 'S', Len: 26, Fields: header('S',
		Field{fECR, 11, 8, Num, ""},
		Field{fSTAN, 19, 6, Num, ""},
		Field{"reserved2", 25, 1, Const, "0"},
		Field{"reserved3", 26, 1, Const, "0"},
	)}
	ReqLastResult = &Layout{Name: "last result", Code: 'G', Len: 22, Fields: header('G',
		Field{fECR, 11, 8, Num, ""},
		Field{"reserved2", 19, 1, Const, "0"},
		Field{"reserved3", 20, 3, Const, "000"},
	)}
	ReqTotals = &Layout{Name: "totals", Code: 'T', Len: 26, Fields: header('T',
		Field{fECR, 11, 8, Num, ""},
		Field{"reserved2", 19, 1, Const, "0"},
		Field{"reserved3", 20, 7, Const, "0000000"},
	)}
	ReqClose = &Layout{Name: "close session", Code: 'C', Len: 26, Fields: header('C',
		Field{fECR, 11, 8, Num, ""},
		Field{"reserved2", 19, 1, Const, "0"},
		Field{"reserved3", 20, 7, Const, "0000000"},
	)}
	ReqReceipts = &Layout{Name: "receipts to till", Code: 'E', Len: 11, Fields: header('E',
		Field{fReceipts, 11, 1, Num, ""},
	)}
)

// Response layouts, POS → ECR.
var (
	RespApproved = &Layout{Name: "result approved", Code: 'E', Len: 71, MinLen: 12, Fields: header('E',
		Field{fResult, 11, 2, Num, ""},
		Field{fPAN, 13, 19, ZeroRight, ""},
		Field{fEntry, 32, 3, Alpha, ""},
		Field{fAuth, 35, 6, Alpha, ""},
		Field{fHostTime, 41, 7, Alpha, ""},
		Field{fCardType, 48, 1, Alpha, ""},
		Field{fAcquirer, 49, 11, ZeroRight, ""},
		Field{fSTAN, 60, 6, Alpha, ""},
		Field{fOpNumber, 66, 6, Alpha, ""},
	)}
	// RespDeclined: positions 37–47 are not described by any public source; they are sent
	// as spaces and ignored on receipt.
	RespDeclined = &Layout{Name: "result declined", Code: 'E', Len: 71, MinLen: 12, Fields: header('E',
		Field{fResult, 11, 2, Num, ""},
		Field{fText, 13, 24, Alpha, ""},
		Field{fCardType, 48, 1, Alpha, ""},
		Field{fAcquirer, 49, 11, ZeroRight, ""},
		Field{fSTAN, 60, 6, Alpha, ""},
		Field{fOpNumber, 66, 6, Alpha, ""},
	)}
	RespStatus = &Layout{Name: "status", Code: 's', Len: 31, MinLen: 31, Fields: header('s',
		Field{"zeros", 11, 10, Alpha, ""},
		Field{fDateTime, 21, 10, Alpha, ""},
		Field{fStatus, 31, 1, Num, ""},
		Field{fRelease, 32, 0, Tail, ""},
	)}
	RespTotals = &Layout{Name: "totals", Code: 'T', Len: 34, MinLen: 28, Fields: header('T',
		Field{fResult, 11, 2, Num, ""},
		Field{fTermTotal, 13, 16, Num, ""},
		Field{"reserved2", 29, 6, Alpha, ""},
	)}
	RespCloseOK = &Layout{Name: "close ok", Code: 'C', Len: 44, MinLen: 28, Fields: header('C',
		Field{fResult, 11, 2, Num, ""},
		Field{fTermTotal, 13, 16, Num, ""},
		Field{fHostTotal, 29, 16, Num, ""},
	)}
	RespCloseKO = &Layout{Name: "close ko", Code: 'C', Len: 34, MinLen: 12, Fields: header('C',
		Field{fResult, 11, 2, Num, ""},
		Field{fText, 13, 19, Alpha, ""},
		Field{fAction, 32, 3, Alpha, ""},
	)}
	RespReceipt = &Layout{Name: "receipt", Code: 'S', Len: 10, Fields: header('S',
		Field{fText, 11, 0, Tail, ""},
	)}
)

// Encode writes v into the layout. Missing values are padded (zeros or spaces); a value
// too long or not numeric for a Num field is an error, never truncated silently.
func (l *Layout) Encode(v map[string]string) ([]byte, error) {
	buf := make([]byte, l.Len, l.Len+len(v[fText])+len(v[fRelease]))
	for i := range buf {
		buf[i] = ' '
	}
	for _, f := range l.Fields {
		val := v[f.Name]
		if f.Kind == Const {
			val = f.Const
		}
		if f.Kind == Tail {
			buf = append(buf[:f.Pos-1], val...)
			continue
		}
		if len(val) > f.Len {
			return nil, fmt.Errorf("%w: %s: %s %q longer than %d", ErrLayout, l.Name, f.Name, val, f.Len)
		}
		if f.Kind == Num && !digits(val) {
			return nil, fmt.Errorf("%w: %s: %s %q is not numeric", ErrLayout, l.Name, f.Name, val)
		}
		dst := buf[f.Pos-1 : f.Pos-1+f.Len]
		pad := f.Len - len(val)
		switch f.Kind {
		case Num, ZeroRight:
			fill(dst[:pad], '0')
			copy(dst[pad:], val)
		case AlphaRight:
			copy(dst[pad:], val)
		default:
			copy(dst, val)
		}
	}
	return buf, nil
}

// Decode reads a payload with the layout. Alpha fields lose their padding; Num fields must
// be digits. Fields past the end of a short payload (allowed down to MinLen) are empty.
func (l *Layout) Decode(p []byte) (map[string]string, error) {
	minLen := l.MinLen
	if minLen == 0 {
		minLen = l.Len
	}
	if len(p) < minLen {
		return nil, fmt.Errorf("%w: %s: %d bytes, want %d", ErrLayout, l.Name, len(p), l.Len)
	}
	v := make(map[string]string, len(l.Fields))
	for _, f := range l.Fields {
		start := f.Pos - 1
		if start >= len(p) {
			continue
		}
		if f.Kind == Tail {
			v[f.Name] = string(p[start:])
			continue
		}
		end := min(start+f.Len, len(p))
		raw := string(p[start:end])
		switch f.Kind {
		case Num:
			if !digits(raw) {
				return nil, fmt.Errorf("%w: %s: %s %q is not numeric", ErrLayout, l.Name, f.Name, raw)
			}
		case Alpha:
			raw = strings.TrimRight(raw, " ")
		case AlphaRight:
			raw = strings.TrimLeft(raw, " ")
		}
		v[f.Name] = raw
	}
	return v, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func fill(b []byte, c byte) {
	for i := range b {
		b[i] = c
	}
}
