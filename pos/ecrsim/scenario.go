package ecrsim

import (
	"fmt"
	"sort"
	"strings"

	"till/money"
)

// Scenario is a way the simulated terminal misbehaves (or not).
type Scenario string

const (
	Approve         Scenario = "approve"           // ACK, progress, approved result
	Decline         Scenario = "decline"           // ACK, progress, declined with a text
	NoACK           Scenario = "no-ack"            // the request is swallowed: no ACK, no result
	NAKThenACK      Scenario = "nak-then-ack"      // the first frame of a connection is NAKed
	CorruptLRC      Scenario = "corrupt-lrc"       // the result is sent once with a bad LRC
	DropAfterACK    Scenario = "drop-after-ack"    // ACK, the payment is approved and recorded, the link drops
	ResultBeforeACK Scenario = "result-before-ack" // the result comes instead of the ACK
	Slow            Scenario = "slow"              // the result comes after Config.ResultDelay
	NotOperative    Scenario = "not-operative"     // status 3 (not aligned); payments declined

	// KeepWorking: ACK, the link drops at once, and the terminal completes the payment as
	// approved Config.WorkDelay later. Meanwhile G answers the previous last result and a
	// new payment (from any till) is declined TERMINALE OCCUPATO.
	KeepWorking Scenario = "keep-working"
	// ForeignTID: the payment is approved and recorded, but its result (and the stored last
	// result) carries Config.ForeignTerminalID.
	ForeignTID Scenario = "foreign-tid"
	// ShortResult: the payment is approved and recorded; the result frame carries only the
	// first 20 bytes of the payload, while the stored last result is complete.
	ShortResult Scenario = "short-result"
	// BadSTAN: the payment is approved and recorded; its result and stored last result carry
	// the STAN "00A04Z".
	BadSTAN Scenario = "bad-stan"
	// RefuseTotals: totals (T) and the day closure (C) are answered with result 01.
	RefuseTotals Scenario = "refuse-totals"
)

// BadSTANValue is the STAN the BadSTAN scenario puts in its results.
const BadSTANValue = "00A04Z"

// BusyText is the decline text of a payment or reversal that arrives while a KeepWorking
// payment is still running.
const BusyText = "TERMINALE OCCUPATO"

// Scenarios lists every scenario with a line of help, for flags and docs.
var Scenarios = map[Scenario]string{
	Approve:         "approve every payment",
	Decline:         "decline every payment with a text",
	NoACK:           "swallow every request: no ACK, no result",
	NAKThenACK:      "NAK the first frame of each connection, then behave",
	CorruptLRC:      "send each result once with a bad LRC, then correctly when NAKed",
	DropAfterACK:    "ACK, record the payment as approved, drop the link before the result",
	ResultBeforeACK: "send the result instead of the ACK",
	Slow:            "send the result after -result-delay (past the till's result timeout)",
	NotOperative:    "report status 3 (not aligned) and decline payments",
	KeepWorking:     "ACK, drop the link, approve the payment -work-delay later; meanwhile G answers the previous result and payments are declined busy",
	ForeignTID:      "approve and record, but send the result (and keep the last result) with -foreign-terminal-id",
	ShortResult:     "approve and record, send only the first 20 bytes of the result (G returns it whole)",
	BadSTAN:         "approve and record, with STAN " + BadSTANValue + " in the result and the last result",
	RefuseTotals:    "answer totals and the day closure with result 01 (refused)",
}

// ByAmount picks a scenario for one payment from its amount, whatever the run scenario:
// the amounts 1,01 € to 1,08 € are reserved for it, every other amount follows the run.
var ByAmount = map[money.Cents]Scenario{
	101: Decline,
	102: NoACK,
	103: NAKThenACK,
	104: CorruptLRC,
	105: DropAfterACK,
	106: ResultBeforeACK,
	107: Slow,
	108: KeepWorking,
}

// ParseScenario checks a scenario name.
func ParseScenario(s string) (Scenario, error) {
	if _, ok := Scenarios[Scenario(s)]; ok {
		return Scenario(s), nil
	}
	var names []string
	for k := range Scenarios {
		names = append(names, string(k))
	}
	sort.Strings(names)
	return "", fmt.Errorf("unknown scenario %q (known: %s)", s, strings.Join(names, ", "))
}

// LastResultMode is how the simulated terminal answers a last-result request (G),
// whatever the payment scenario.
type LastResultMode string

const (
	LastResultAnswer LastResultMode = "answer" // ACK and the last result at once
	LastResultNone   LastResultMode = "none"   // G is swallowed: no ACK, no answer
	LastResultLate   LastResultMode = "late"   // ACK, the answer after Config.ResultDelay
	LastResultCut    LastResultMode = "cut"    // ACK, then the link drops before the answer
)

// LastResultModes lists every mode with a line of help, for flags and docs.
var LastResultModes = map[LastResultMode]string{
	LastResultAnswer: "answer G at once with the last result",
	LastResultNone:   "swallow G: no ACK, no answer",
	LastResultLate:   "ACK G, answer after -result-delay",
	LastResultCut:    "ACK G, then drop the link before the answer",
}

// ParseLastResultMode checks a last-result mode name; "" is LastResultAnswer.
func ParseLastResultMode(s string) (LastResultMode, error) {
	if s == "" {
		return LastResultAnswer, nil
	}
	if _, ok := LastResultModes[LastResultMode(s)]; ok {
		return LastResultMode(s), nil
	}
	var names []string
	for k := range LastResultModes {
		names = append(names, string(k))
	}
	sort.Strings(names)
	return "", fmt.Errorf("unknown last-result mode %q (known: %s)", s, strings.Join(names, ", "))
}
