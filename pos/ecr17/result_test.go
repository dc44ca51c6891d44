package ecr17

import (
	"errors"
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

func TestResultOfMapsResultCodes(t *testing.T) {
	now := time.Date(2026, 2, 9, 16, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		payload string
		outcome pos.Outcome
		wantErr error
		check   func(pos.Result) bool
	}{
		{"approved worked frame", workedPayloads["frame5_approved"], pos.Approved, nil, func(r pos.Result) bool {
			return r.MaskedPAN == "411111******1111" && r.AuthCode == "A1B2C3" && r.STAN == "000042" &&
				r.OperationNumber == "000099" && r.AcquirerID == "00000000003" && r.CardType == "2" &&
				r.HostTime.Equal(time.Date(2026, 2, 9, 15, 30, 0, 0, time.UTC)) && string(r.Raw) == workedPayloads["frame5_approved"]
		}},
		{"declined", "123456780E01FONDI INSUFFICIENTI", pos.Declined, nil, func(r pos.Result) bool {
			return r.Text == "FONDI INSUFFICIENTI" && r.STAN == ""
		}},
		{"other result code", "123456780E05", pos.Unknown, pos.ErrOutcomeUnknown, func(r pos.Result) bool { return r.ResultCode == "05" }},
		{"garbage", "123456780E", pos.Unknown, pos.ErrOutcomeUnknown, func(r pos.Result) bool { return len(r.Raw) == 10 }},
	} {
		r, err := resultOf([]byte(tc.payload), now)
		if r.Outcome != tc.outcome || !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) || !tc.check(r) {
			t.Errorf("%s: %+v %v", tc.name, r, err)
		}
	}
}
