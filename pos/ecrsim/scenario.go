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
)

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
}

// ByAmount picks a scenario for one payment from its amount, whatever the run scenario:
// the amounts 1,01 € to 1,07 € are reserved for it, every other amount follows the run.
var ByAmount = map[money.Cents]Scenario{
	101: Decline,
	102: NoACK,
	103: NAKThenACK,
	104: CorruptLRC,
	105: DropAfterACK,
	106: ResultBeforeACK,
	107: Slow,
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
