package ecr17

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"till/pos"
)

// wildcardTID is the terminal id every terminal accepts; a till configured with it takes
// results from whichever terminal answers.
const wildcardTID = "00000000"

// approvedMinLen is the shortest approved result the driver believes: everything through
// the STAN. The fields before it may be blank (real terminals leave entry mode, host time,
// acquirer and even the PAN empty), the operation number after it may be missing, but an
// approval without its STAN cannot be matched to a terminal slip or a last result.
var approvedMinLen = fieldEnd(RespApproved, fSTAN)

// resultOf turns an 'E' payload into the domain result. The terminal decided something,
// but the till only believes an approval or a decline that is provably about its own
// request: a result from another terminal id (unless tid is the wildcard), a payload cut
// short, a STAN or authorisation code that is not what the protocol allows, or a result
// code other than 00/01 is an unknown outcome. Whatever could be decoded is kept in the
// result (TerminalID, STAN, Raw…) so the caller can log it.
func resultOf(raw []byte, tid string, now time.Time) (pos.Result, error) {
	res := pos.Result{Outcome: pos.Unknown, Raw: raw}
	r, derr := DecodeResponse(raw)
	if derr == nil {
		fillResult(&res, r, now)
	} else if len(raw) >= 8 {
		res.TerminalID = string(raw[:8])
	}
	if len(raw) >= 8 && tid != wildcardTID && string(raw[:8]) != tid {
		return res, fmt.Errorf("%w: %w: terminal id %q, this till talks to %s",
			pos.ErrOutcomeUnknown, pos.ErrForeignTerminal, raw[:8], tid)
	}
	if derr != nil {
		return res, fmt.Errorf("%w: %w: %w", pos.ErrOutcomeUnknown, pos.ErrMalformedResult, derr)
	}
	if r.Code != 'E' {
		return res, fmt.Errorf("%w: %w: message code %q, want E", pos.ErrOutcomeUnknown, pos.ErrMalformedResult, r.Code)
	}
	switch r.Result {
	case "00":
		if err := checkApproved(raw, r); err != nil {
			return res, fmt.Errorf("%w: %w: approved result: %w", pos.ErrOutcomeUnknown, pos.ErrMalformedResult, err)
		}
		res.Outcome = pos.Approved
		return res, nil
	case "01":
		if blank(r.STAN) || isSTAN(r.STAN) {
			res.Outcome = pos.Declined
			return res, nil
		}
		return res, fmt.Errorf("%w: %w: declined result: STAN %q is not 6 digits", pos.ErrOutcomeUnknown, pos.ErrMalformedResult, r.STAN)
	}
	return res, fmt.Errorf("%w: terminal result code %q", pos.ErrOutcomeUnknown, r.Result)
}

// fillResult copies the decoded fields into res; the outcome is decided by the caller.
func fillResult(res *pos.Result, r Response, now time.Time) {
	res.TerminalID, res.ResultCode = r.TerminalID, r.Result
	res.CardType, res.AcquirerID = r.CardType, strings.TrimSpace(r.AcquirerID)
	res.STAN, res.OperationNumber = r.STAN, strings.TrimSpace(r.OperationNumber)
	if r.Result == "00" {
		res.MaskedPAN = strings.TrimLeft(r.PAN, "0 ")
		res.EntryMode, res.AuthCode, res.HostDateTime = r.EntryMode, r.AuthCode, r.HostDateTime
		res.HostTime = hostTime(r.HostDateTime, now)
		return
	}
	res.Text = r.Text
}

// checkApproved reports why an approval cannot be believed, or nil.
func checkApproved(raw []byte, r Response) error {
	switch {
	case len(raw) < approvedMinLen:
		return fmt.Errorf("%d bytes, cut before the end of the STAN (%d)", len(raw), approvedMinLen)
	case !isSTAN(r.STAN):
		return fmt.Errorf("STAN %q is not 6 digits", r.STAN)
	case !isAuthCode(r.AuthCode):
		return fmt.Errorf("authorisation code %q is not 6 letters or digits", r.AuthCode)
	}
	return nil
}

func isSTAN(s string) bool { return len(s) == 6 && digits(s) }

// isAuthCode: six letters or digits; "000000" is what a reversal carries.
func isAuthCode(s string) bool {
	if len(s) != 6 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// fieldEnd is the 1-based position of the last byte of a field of l.
func fieldEnd(l *Layout, name string) int {
	for _, f := range l.Fields {
		if f.Name == name {
			return f.Pos + f.Len - 1
		}
	}
	panic("ecr17: layout " + l.Name + " has no field " + name)
}

// hostTime reads DDDHHMM (day of year) in now's year, or the previous year when that
// would put it in the future (a result from 31 December read on 1 January).
func hostTime(s string, now time.Time) time.Time {
	if len(s) != 7 || !digits(s) {
		return time.Time{}
	}
	day, _ := strconv.Atoi(s[:3])
	h, _ := strconv.Atoi(s[3:5])
	m, _ := strconv.Atoi(s[5:7])
	if day < 1 || day > 366 || h > 23 || m > 59 {
		return time.Time{}
	}
	at := func(year int) time.Time {
		return time.Date(year, 1, 1, h, m, 0, 0, now.Location()).AddDate(0, 0, day-1)
	}
	if t := at(now.Year()); !t.After(now.Add(24 * time.Hour)) {
		return t
	}
	return at(now.Year() - 1)
}
