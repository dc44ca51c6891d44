package checkout_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"till/app/checkout"
)

// A sale cleared by the cashier after its voucher was declined stayed pending for ever: it is
// recorded cancelled, its declined attempt kept; the journal says declined, not unknown.
func TestAbandonRecordsADeclinedSaleCancelled(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	s := r.sale(t, 101) // 1,01 € makes the simulator decline
	if _, err := r.co.PayElectronic(ctx, s, r.coverflex(101, nil)); !errors.Is(err, checkout.ErrDeclined) {
		t.Fatal(err)
	}
	entries, _ := r.db.Journal(ctx, time.Now())
	if len(entries) != 1 || !entries[0].Declined || entries[0].PaymentUnknown || entries[0].Cancelled {
		t.Fatalf("journal before the clear %+v", entries)
	}
	if err := r.co.Abandon(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	stored, _ := r.db.Sale(ctx, s.ID)
	attempts, _ := r.db.SaleAttempts(ctx, s.ID)
	if stored.State != "cancelled" || len(attempts) != 1 || attempts[0].State != checkout.AttemptDeclined {
		t.Fatalf("sale %s attempts %+v", stored.State, attempts)
	}
	if n, _ := r.db.PendingCount(ctx); n != 0 {
		t.Fatalf("%d pending sales left", n)
	}
	entries, _ = r.db.Journal(ctx, time.Now())
	if len(entries) != 1 || !entries[0].Cancelled || !entries[0].Declined {
		t.Fatalf("journal after the clear %+v", entries)
	}
	// Again (a second tap, another till): the compare-and-set finds nothing pending.
	if err := r.co.Abandon(ctx, s.ID); err != nil {
		t.Fatalf("a second abandon: %v", err)
	}
}

// A sale never saved leaves nothing; one with an approved voucher is refused: its money must
// be reversed (CancelSale) or the sale finished.
func TestAbandonLeavesNothingAndRefusesTakenMoney(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	if err := r.co.Abandon(ctx, r.sale(t, 300).ID); err != nil {
		t.Fatalf("a sale never saved: %v", err)
	}
	s := r.sale(t, 900)
	if _, err := r.co.PayElectronic(ctx, s, r.coverflex(500, nil)); err != nil {
		t.Fatal(err)
	}
	if err := r.co.Abandon(ctx, s.ID); !errors.Is(err, checkout.ErrBlocked) {
		t.Fatalf("abandon with an approved voucher: %v", err)
	}
	if stored, _ := r.db.Sale(ctx, s.ID); stored.State != "pending" {
		t.Fatalf("sale %s", stored.State)
	}
}
