package checkout

import (
	"errors"
	"testing"
	"time"

	"till/pos"
)

// TestAttemptWalksEveryEdgeOfTheDiagram tries every pair of states: exactly the edges of the
// diagram are allowed, everything else is refused and leaves the state unchanged.
func TestAttemptWalksEveryEdgeOfTheDiagram(t *testing.T) {
	all := []AttemptState{AttemptCreated, AttemptSent, AttemptUnknown, AttemptApproved, AttemptDeclined,
		AttemptCancelled, AttemptDocumented, AttemptReversed}
	allowed := map[[2]AttemptState]bool{
		{AttemptCreated, AttemptSent}: true, {AttemptCreated, AttemptCancelled}: true,
		{AttemptSent, AttemptApproved}: true, {AttemptSent, AttemptDeclined}: true, {AttemptSent, AttemptUnknown}: true,
		{AttemptUnknown, AttemptApproved}: true, {AttemptUnknown, AttemptDeclined}: true,
		{AttemptApproved, AttemptDocumented}: true, {AttemptApproved, AttemptReversed}: true,
	}
	now := time.Now()
	for _, from := range all {
		for _, to := range all {
			a := &Attempt{State: from, Requested: 800}
			var err error
			switch to {
			case AttemptSent:
				err = a.Send(now)
			case AttemptCancelled:
				err = a.Cancel(now)
			case AttemptUnknown:
				err = a.LoseTrack(now)
			case AttemptApproved:
				err = a.Approve(pos.Result{Outcome: pos.Approved, STAN: "000042"}, now)
			case AttemptDeclined:
				err = a.Decline(pos.Result{Text: "FONDI INSUFFICIENTI"}, now)
			case AttemptDocumented:
				err = a.Document(now)
			case AttemptReversed:
				err = a.Reverse(now)
			default:
				continue
			}
			if allowed[[2]AttemptState{from, to}] {
				if err != nil || a.State != to {
					t.Errorf("%s → %s refused: %v", from, to, err)
				}
				continue
			}
			var te ErrTransition
			if !errors.As(err, &te) || a.State != from {
				t.Errorf("%s → %s allowed (state %s, err %v)", from, to, a.State, err)
			}
		}
	}
}

func TestApprovalKeepsTerminalDataAndCapsTheAmount(t *testing.T) {
	a := &Attempt{State: AttemptSent, Requested: 1470, TerminalID: "12345678"}
	err := a.Approve(pos.Result{Outcome: pos.Approved, Authorized: 800, MaskedPAN: "411111******1111", AuthCode: "A1B2C3",
		STAN: "000042", AcquirerID: "00000000003"}, time.Now())
	if err != nil || a.Authorized != 800 || a.MaskedPAN != "411111******1111" || a.STAN != "000042" || a.TerminalID != "12345678" {
		t.Fatalf("attempt %+v, %v", a, err)
	}
	b := &Attempt{State: AttemptUnknown, Requested: 500}
	b.Approve(pos.Result{Outcome: pos.Approved, Authorized: 900}, time.Now())
	if b.Authorized != 500 {
		t.Fatalf("authorised more than requested: %d", b.Authorized)
	}
	c := &Attempt{State: AttemptSent, Requested: 500}
	c.Approve(pos.Result{Outcome: pos.Approved}, time.Now())
	if c.Authorized != 500 {
		t.Fatalf("plain ECR17 approval: %d", c.Authorized)
	}
}
