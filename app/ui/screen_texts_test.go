package ui

import (
	"context"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strings"
	"testing"

	"till/app/checkout"
	"till/app/dayclose"
	"till/app/tillsync"
	"till/pos"
	"till/storage"
)

// englishWord finds the English words the cashier met on Italian screens.
var englishWord = regexp.MustCompile(`(?i)\b(the|by|not|terminal|payment|error|failed|refused|customer|processed|checksum|unknown|portal|attempt|device|sale|answer|unreachable|revoked|timeout|deadline|exceeded|dial|tcp|connection|vatnumber)\b`)

// Errors reached the screen in their English words ("not processed by the terminal",
// "customer vatNumber: checksum"): every one reads in Italian, with no English left in it.
func TestErrorsNeverShowEnglishOnTheScreen(t *testing.T) {
	cases := []error{
		fmt.Errorf("pay: %w: not processed by the terminal", checkout.ErrDeclined),
		&checkout.CustomerError{Field: "vatNumber", Reason: "checksum"},
		fmt.Errorf("invoice: %w", &checkout.CustomerError{Field: "vatNumber", Reason: "checksum"}),
		&checkout.CustomerError{Field: "somethingNew", Reason: "odd"},
		&checkout.UnresolvedError{Reason: "the terminal could not be asked: dial tcp: connection refused"},
		fmt.Errorf("payment device dev-1: %w", pos.ErrNotDelivered),
		fmt.Errorf("read: %w", pos.ErrMalformedResult),
		fmt.Errorf("cancel sale x: %w", storage.ErrNotPending),
		&tillsync.Error{Kind: tillsync.KindUnreachable, Op: "activate", Err: errors.New("dial tcp 10.0.0.1:443: connection refused")},
		&tillsync.Error{Kind: tillsync.KindRejected, Op: "activate", Status: 409, Code: "code_used", Message: "the code was already used"},
		&tillsync.Error{Kind: tillsync.KindRevoked, Op: "push sales", Status: 401},
		&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")},
		fmt.Errorf("ask terminal: %w", context.DeadlineExceeded),
		fmt.Errorf("close: %w", dayclose.ErrZRefused),
		errors.New("totals refused by the terminal (result 05)"),
	}
	for _, err := range cases {
		got := errorText(err)
		if w := englishWord.FindString(got); w != "" || strings.HasPrefix(got, "err.") || got == "" {
			t.Errorf("%v reads %q (English %q)", err, got, w)
		}
	}
	if got := errorText(&checkout.CustomerError{Field: "vatNumber", Reason: "checksum"}); !strings.Contains(got, "P.IVA") {
		t.Errorf("the customer's wrong field is not named: %q", got)
	}
	if got := errorText(errors.New("totals refused by the terminal (result 05)")); !strings.Contains(got, "imprevisto") {
		t.Errorf("an unknown error is not called unexpected: %q", got)
	}
}

// "Ci sono 1 vendite in sospeso": every count on the start-up warning agrees with its number,
// and the warning sends the cashier where the open item is: a payment to the payment, an
// uncertain receipt to the printer.
func TestStartUpWarningCountsAndPointsAtWhatIsOpen(t *testing.T) {
	unknown := checkout.Recovery{Unresolved: []checkout.Attempt{{SaleID: "s1"}}, Uncertain: []string{"s1"}, Pending: []string{"s1"}}
	got := recoverySummary(unknown)
	if !strings.Contains(got, "1 vendita ha un pagamento") || strings.Contains(got, "stampante") || strings.Contains(got, "vendite") {
		t.Errorf("unknown payment: %q", got)
	}
	uncertain := checkout.Recovery{Uncertain: []string{"s2"}, Pending: []string{"s2"}}
	if got := recoverySummary(uncertain); !strings.Contains(got, "stampante") || strings.Contains(got, "pagamento") {
		t.Errorf("uncertain receipt: %q", got)
	}
	failed := recoveryFailedText(errors.New("database is locked"), 1)
	if strings.Contains(failed, "vendite") || strings.Contains(failed, "stampante") || !strings.Contains(failed, "1 vendita") {
		t.Errorf("failed check with one sale pending: %q", failed)
	}
	if w := englishWord.FindString(failed); w != "" {
		t.Errorf("failed check shows English %q: %q", w, failed)
	}
	if got := recoveryFailedText(errors.New("x"), 3); !strings.Contains(got, "3 vendite") {
		t.Errorf("failed check with three sales pending: %q", got)
	}
}
