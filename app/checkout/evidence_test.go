package checkout

import (
	"testing"
	"time"

	"till/pos"
)

// TestJudgeLastResultFollowsTheRulesOfEvidence walks the rules of docs/terminal.md: only an
// answer that can be nobody else's settles an attempt; "not processed" needs the terminal's own
// timeout to have passed with its last result unchanged; everything else stays unknown. The
// cases named after a defect are the answers that settled attempts wrongly before.
func TestJudgeLastResultFollowsTheRulesOfEvidence(t *testing.T) {
	sent := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	prevRaw := "123456780E00...000041"
	base := Attempt{TerminalID: "12345678", Requested: 800, PrevSTAN: "000041", PrevRaw: prevRaw, Exclusive: true,
		WorkTimeout: 90 * time.Second, SentAt: sent}
	approved := func(stan string) pos.Result {
		return pos.Result{Outcome: pos.Approved, TerminalID: "12345678", STAN: stan, ResultCode: "00", Raw: []byte("raw " + stan)}
	}
	declined := func(stan string) pos.Result {
		return pos.Result{Outcome: pos.Declined, TerminalID: "12345678", STAN: stan, ResultCode: "01", Raw: []byte("raw " + stan)}
	}
	previous := pos.Result{Outcome: pos.Approved, TerminalID: "12345678", STAN: "000041", ResultCode: "00", Raw: []byte(prevRaw)}
	tests := []struct {
		name      string
		attempt   func(a *Attempt)
		result    pos.Result
		exclusive bool
		after     time.Duration
		want      Verdict
	}{
		{"the next STAN on a terminal of this till only: approved", nil, approved("000042"), true, time.Second, ItsApproval},
		{"the next STAN, declined", nil, declined("000042"), true, time.Second, ItsDecline},
		{"the next STAN after a wrap", func(a *Attempt) { a.PrevSTAN = "999999" }, approved("000001"), true, time.Second, ItsApproval},
		{"defect 2: another till's payment on a shared terminal", func(a *Attempt) { a.Exclusive = false }, approved("000042"), false, time.Second, StillUnknown},
		{"the terminal became shared since", nil, approved("000042"), false, time.Second, StillUnknown},
		{"defect 1: the STAN of a later payment", nil, approved("000043"), true, time.Second, StillUnknown},
		{"defect 6: a reset counter gives an old STAN", nil, approved("000003"), true, time.Hour, StillUnknown},
		{"defect 4: another terminal's result", nil, pos.Result{Outcome: pos.Approved, TerminalID: "87654321", STAN: "000042", Raw: []byte("x")}, true, time.Second, StillUnknown},
		{"defect 5: no STAN", nil, pos.Result{Outcome: pos.Approved, TerminalID: "12345678"}, true, time.Second, StillUnknown},
		{"defect 5: a STAN that is not digits", nil, approved("00A04Z"), true, time.Second, StillUnknown},
		{"defect 3: the previous result while the terminal may still work", nil, previous, true, 10 * time.Second, StillUnknown},
		{"the previous result after the terminal's own timeout: not processed", nil, previous, true, 91 * time.Second, NotProcessed},
		{"not processed also on a shared terminal: nobody did anything", func(a *Attempt) { a.Exclusive = false }, previous, false, 91 * time.Second, NotProcessed},
		{"the previous STAN with other bytes: the counter was reset", nil,
			pos.Result{Outcome: pos.Approved, TerminalID: "12345678", STAN: "000041", Raw: []byte("other")}, true, time.Hour, StillUnknown},
		{"no reference recorded before sending", func(a *Attempt) { a.PrevSTAN, a.PrevRaw = "", "" }, approved("000001"), true, time.Second, StillUnknown},
		{"no reference, the terminal idle for an hour", func(a *Attempt) { a.PrevSTAN, a.PrevRaw = "", "" }, previous, true, time.Hour, StillUnknown},
		{"a result code that is neither", nil, pos.Result{Outcome: pos.Unknown, TerminalID: "12345678", STAN: "000042", ResultCode: "05"}, true, time.Second, StillUnknown},
	}
	for _, tt := range tests {
		a := base
		if tt.attempt != nil {
			tt.attempt(&a)
		}
		got := JudgeLastResult(&a, tt.result, tt.exclusive, sent.Add(tt.after))
		if got.Verdict != tt.want {
			t.Errorf("%s: verdict %d (%s), want %d", tt.name, got.Verdict, got.Reason, tt.want)
		}
		if got.Reason == "" {
			t.Errorf("%s: no reason given", tt.name)
		}
	}
}

func TestNextSTAN(t *testing.T) {
	for in, want := range map[string]string{"000041": "000042", "000099": "000100", "999999": "000001", "": "", "12345": "", "00A04Z": ""} {
		if got := NextSTAN(in); got != want {
			t.Errorf("NextSTAN(%q) = %q, want %q", in, got, want)
		}
	}
}
