package checkout

import (
	"fmt"
	"strconv"
	"time"

	"till/pos"
)

// Evidence names how an attempt's outcome was established; it is stored with the attempt and
// shown to people in their words.
const (
	EvidenceResult       = "result"        // the attempt's own result frame
	EvidenceLastResult   = "last_result"   // a last-result (G) answer that can only be this attempt's
	EvidenceNotProcessed = "not_processed" // the terminal provably did nothing since the request
	EvidenceNotDelivered = "not_delivered" // the request provably never reached the terminal
	EvidenceByHand       = "by_hand"       // a manager, from the terminal's slip
)

// Baseline is a terminal's last result as this till last saw it: a later last-result answer is
// judged against it.
type Baseline struct {
	STAN string
	Raw  string // the result payload byte for byte; empty when not known
	At   time.Time
}

// Verdict is what a last-result answer proves about an attempt.
type Verdict int

const (
	// StillUnknown: the answer could be another transaction's, or the terminal may still be
	// working; the attempt stays unknown.
	StillUnknown Verdict = iota
	// ItsApproval and ItsDecline: the answer can only be this attempt's result.
	ItsApproval
	ItsDecline
	// NotProcessed: the terminal's last result is still the one from before the request, asked
	// after the terminal's own timeout: nothing was charged.
	NotProcessed
)

// Reading is a verdict with its reason, in English for logs and the audit trail.
type Reading struct {
	Verdict Verdict
	Reason  string
}

// JudgeLastResult applies the rules of evidence (docs/terminal.md) to a terminal's last result
// for an attempt that was sent and whose own result never arrived. exclusiveNow tells whether
// the terminal is still enabled on this till only. The rules, in order:
//   - the answer must come from the attempt's terminal, with a STAN;
//   - the very result recorded before sending (same STAN, same bytes when known) proves nothing
//     was done only once the terminal's own timeout has passed since the request left: a
//     terminal still working answers with its previous result;
//   - a result whose STAN follows the one recorded before sending is this attempt's only when the
//     terminal serves this till alone (then and now): a shared terminal's last result may be
//     another till's, and a result carries no amount;
//   - anything else (a reset counter, a gap, no reference) stays unknown, for a person.
func JudgeLastResult(a *Attempt, r pos.Result, exclusiveNow bool, now time.Time) Reading {
	unknown := func(format string, args ...any) Reading {
		return Reading{StillUnknown, fmt.Sprintf(format, args...)}
	}
	switch {
	case r.TerminalID != a.TerminalID && a.TerminalID != "00000000":
		return unknown("answer from terminal %q, the attempt is on %s", r.TerminalID, a.TerminalID)
	case !sixDigits(r.STAN):
		return unknown("answer without a usable STAN (%q)", r.STAN)
	case a.PrevSTAN == "":
		return unknown("no last result of the terminal was known before sending")
	case r.STAN == a.PrevSTAN:
		if a.PrevRaw != "" && string(r.Raw) != a.PrevRaw {
			return unknown("STAN %s again but another result: the counter may have been reset", r.STAN)
		}
		if a.SentAt.IsZero() || a.WorkTimeout <= 0 || now.Sub(a.SentAt) < a.WorkTimeout {
			return unknown("the terminal still shows its previous transaction (STAN %s) and may still be working", r.STAN)
		}
		return Reading{NotProcessed, fmt.Sprintf("STAN %s unchanged %s after the request", r.STAN, now.Sub(a.SentAt).Round(time.Second))}
	case r.STAN != NextSTAN(a.PrevSTAN):
		return unknown("STAN %s does not follow %s: another transaction, or the counter was reset", r.STAN, a.PrevSTAN)
	case !a.Exclusive || !exclusiveNow:
		return unknown("STAN %s follows %s but the terminal also serves other tills", r.STAN, a.PrevSTAN)
	case r.Outcome == pos.Approved:
		return Reading{ItsApproval, fmt.Sprintf("STAN %s follows %s on a terminal of this till only", r.STAN, a.PrevSTAN)}
	case r.Outcome == pos.Declined:
		return Reading{ItsDecline, fmt.Sprintf("STAN %s follows %s on a terminal of this till only", r.STAN, a.PrevSTAN)}
	}
	return unknown("result code %q is neither approved nor declined", r.ResultCode)
}

// NextSTAN is the STAN a terminal gives the transaction after stan: one more, wrapping after
// 999999 to 000001 (terminals skip 000000).
func NextSTAN(stan string) string {
	n, err := strconv.Atoi(stan)
	if err != nil || !sixDigits(stan) {
		return ""
	}
	n++
	if n > 999_999 {
		n = 1
	}
	return fmt.Sprintf("%06d", n)
}

func sixDigits(s string) bool {
	if len(s) != 6 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
