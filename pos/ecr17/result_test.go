package ecr17

import (
	"errors"
	"strings"
	"testing"
	"time"

	"till/pos"
)

func TestHostTimeReadsDayOfYearAcrossNewYear(t *testing.T) {
	loc := time.UTC
	for _, tc := range []struct {
		raw  string
		now  time.Time
		want time.Time
	}{
		{"0401530", time.Date(2026, 2, 9, 16, 0, 0, 0, loc), time.Date(2026, 2, 9, 15, 30, 0, 0, loc)},
		{"3652359", time.Date(2027, 1, 1, 0, 5, 0, 0, loc), time.Date(2026, 12, 31, 23, 59, 0, 0, loc)},
		{"0010001", time.Date(2027, 1, 1, 0, 5, 0, 0, loc), time.Date(2027, 1, 1, 0, 1, 0, 0, loc)},
		{"0002500", time.Date(2026, 1, 1, 0, 0, 0, 0, loc), time.Time{}},
		{"04015", time.Date(2026, 1, 1, 0, 0, 0, 0, loc), time.Time{}},
		{"040AB30", time.Date(2026, 1, 1, 0, 0, 0, 0, loc), time.Time{}},
	} {
		if got := hostTime(tc.raw, tc.now); !got.Equal(tc.want) {
			t.Errorf("%q at %s: %s, want %s", tc.raw, tc.now, got, tc.want)
		}
	}
}

// approvedWith is the worked approved result with the bytes at 1-based position pos
// replaced by with.
func approvedWith(pos int, with string) string {
	p := []byte(workedPayloads["frame5_approved"])
	copy(p[pos-1:], with)
	return string(p)
}

func TestResultOfMapsResultCodes(t *testing.T) {
	now := time.Date(2026, 2, 9, 16, 0, 0, 0, time.UTC)
	worked := workedPayloads["frame5_approved"]
	for _, tc := range []struct {
		name    string
		tid     string // the configured terminal id; "" is 12345678
		payload string
		outcome pos.Outcome
		wantErr error
		check   func(pos.Result) bool
	}{
		{"approved worked frame", "", worked, pos.Approved, nil, func(r pos.Result) bool {
			return r.MaskedPAN == "411111******1111" && r.AuthCode == "A1B2C3" && r.STAN == "000042" &&
				r.OperationNumber == "000099" && r.AcquirerID == "00000000003" && r.CardType == "2" &&
				r.HostTime.Equal(time.Date(2026, 2, 9, 15, 30, 0, 0, time.UTC)) && string(r.Raw) == worked
		}},
		{"declined", "", "123456780E01FONDI INSUFFICIENTI", pos.Declined, nil, func(r pos.Result) bool {
			return r.Text == "FONDI INSUFFICIENTI" && r.STAN == ""
		}},
		{"other result code", "", "123456780E05", pos.Unknown, pos.ErrOutcomeUnknown, func(r pos.Result) bool { return r.ResultCode == "05" }},
		{"garbage", "", "123456780E", pos.Unknown, pos.ErrMalformedResult, func(r pos.Result) bool { return len(r.Raw) == 10 }},

		// From the bug report: each of these was taken as approved.
		{"approved cut to 20 bytes, no STAN or auth code", "", worked[:20], pos.Unknown, pos.ErrMalformedResult,
			func(r pos.Result) bool { return r.TerminalID == "12345678" && len(r.Raw) == 20 }},
		{"approved with STAN 00A04Z", "", approvedWith(60, "00A04Z"), pos.Unknown, pos.ErrMalformedResult,
			func(r pos.Result) bool { return r.STAN == "00A04Z" }},
		{"approved from terminal 87654321 to a till of 12345678", "", approvedWith(1, "87654321"), pos.Unknown, pos.ErrForeignTerminal,
			func(r pos.Result) bool { return r.TerminalID == "87654321" && r.STAN == "000042" && len(r.Raw) == 71 }},

		{"wildcard till takes any terminal", "00000000", approvedWith(1, "87654321"), pos.Approved, nil,
			func(r pos.Result) bool { return r.TerminalID == "87654321" }},
		{"declined from another terminal", "", "876543210E01FONDI INSUFFICIENTI", pos.Unknown, pos.ErrForeignTerminal,
			func(r pos.Result) bool { return r.TerminalID == "87654321" }},
		{"unreadable result from another terminal", "", "87654321XE00", pos.Unknown, pos.ErrForeignTerminal,
			func(r pos.Result) bool { return r.TerminalID == "87654321" }},
		{"approved through the STAN, no operation number", "", worked[:65], pos.Approved, nil,
			func(r pos.Result) bool { return r.STAN == "000042" && r.OperationNumber == "" }},
		{"approved cut inside the STAN", "", worked[:64], pos.Unknown, pos.ErrMalformedResult, func(pos.Result) bool { return true }},
		{"approved with blank optional fields", "",
			"123456780E00" + strings.Repeat(" ", 19) + "   " + "A1B2C3" + "       " + " " + strings.Repeat(" ", 11) + "000042" + "      ",
			pos.Approved, nil, func(r pos.Result) bool {
				return r.MaskedPAN == "" && r.EntryMode == "" && r.HostTime.IsZero() && r.AcquirerID == "" &&
					r.CardType == "" && r.OperationNumber == "" && r.STAN == "000042" && r.AuthCode == "A1B2C3"
			}},
		{"reversal approval with zero auth code", "", approvedWith(35, "000000"), pos.Approved, nil,
			func(r pos.Result) bool { return r.AuthCode == "000000" }},
		{"approved with blank auth code", "", approvedWith(35, "      "), pos.Unknown, pos.ErrMalformedResult, func(pos.Result) bool { return true }},
		{"approved with a space in the auth code", "", approvedWith(35, "A1 2C3"), pos.Unknown, pos.ErrMalformedResult, func(pos.Result) bool { return true }},
		{"approved with a short auth code", "", approvedWith(35, "A1B2  "), pos.Unknown, pos.ErrMalformedResult, func(pos.Result) bool { return true }},
		{"approved with a blank STAN", "", approvedWith(60, "      "), pos.Unknown, pos.ErrMalformedResult, func(pos.Result) bool { return true }},
		{"declined with a good STAN", "", "123456780E01FONDI INSUFFICIENTI     " + strings.Repeat(" ", 11) + "2" + "00000000003" + "000042" + "000099",
			pos.Declined, nil, func(r pos.Result) bool { return r.STAN == "000042" }},
		{"declined with a blank STAN", "", "123456780E01TERMINALE OCCUPATO      " + strings.Repeat(" ", 11) + " " + "00000000000" + "      " + "      ",
			pos.Declined, nil, func(r pos.Result) bool { return r.STAN == "" && r.Text == "TERMINALE OCCUPATO" }},
		{"declined with a bad STAN", "", "123456780E01FONDI INSUFFICIENTI     " + strings.Repeat(" ", 11) + "2" + "00000000003" + "00A04Z",
			pos.Unknown, pos.ErrMalformedResult, func(r pos.Result) bool { return r.STAN == "00A04Z" }},
		{"declined cut inside the STAN", "", "123456780E01FONDI INSUFFICIENTI     " + strings.Repeat(" ", 11) + "2" + "00000000003" + "00",
			pos.Unknown, pos.ErrMalformedResult, func(pos.Result) bool { return true }},
		{"a totals answer is no result", "", "123456780T000000000000000650", pos.Unknown, pos.ErrMalformedResult, func(pos.Result) bool { return true }},
	} {
		tid := tc.tid
		if tid == "" {
			tid = "12345678"
		}
		r, err := resultOf([]byte(tc.payload), tid, now)
		ok := r.Outcome == tc.outcome && errors.Is(err, tc.wantErr) && tc.check(r)
		if tc.wantErr == nil {
			ok = ok && err == nil
		} else {
			ok = ok && errors.Is(err, pos.ErrOutcomeUnknown) && r.Err() == pos.ErrOutcomeUnknown
		}
		if !ok {
			t.Errorf("%s: %+v %v", tc.name, r, err)
		}
	}
}
