package checkout_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"till/app/checkout"
	"till/fiscal/epson"
	"till/fiscal/rtsim"
)

// epsonRig is the rig with its printer replaced by the Epson driver on the RT simulator, both
// with or without the reprint-by-number assumption.
func epsonRig(t *testing.T, byNumber bool) (*rig, *rtsim.Server) {
	t.Helper()
	r := newRig(t)
	sim, err := rtsim.New(rtsim.Config{Serial: "99MEY000042", AssumeContentByNumbers: byNumber})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim)
	t.Cleanup(func() { sim.Close(); srv.Close() })
	d, err := epson.New(epson.Config{URL: srv.URL, Timeout: 20 * time.Second, ReprintByNumber: byNumber, Serial: "99MEY000042"})
	if err != nil {
		t.Fatal(err)
	}
	r.co.Printer = d
	return r, sim
}

func copiesOf(sim *rtsim.Server) []string {
	var of []string
	for _, e := range sim.Journal() {
		if e.Kind == rtsim.KindCopy {
			of = append(of, e.Original)
		}
	}
	return of
}

func TestCopyOfAnEarlierReceiptOfTheDayIsReprintedByNumberOnlyWhenThePrinterCan(t *testing.T) {
	for _, byNumber := range []bool{false, true} {
		t.Run(map[bool]string{false: "documented printer", true: "reprint by number assumed"}[byNumber], func(t *testing.T) {
			r, sim := epsonRig(t, byNumber)
			ctx := context.Background()
			first := r.sale(t, 500)
			firstDone, err := r.co.Complete(ctx, first, 500)
			if err != nil {
				t.Fatal(err)
			}
			second := r.sale(t, 700)
			if _, err := r.co.Complete(ctx, second, 700); err != nil {
				t.Fatal(err)
			}
			if r.co.CanReprintByNumber() != byNumber {
				t.Errorf("CanReprintByNumber %v", r.co.CanReprintByNumber())
			}
			offered := r.co.CopyOffered(ctx, first.ID)
			err = r.co.Copy(ctx, first.ID)
			stored, _ := r.db.Sale(ctx, first.ID)
			if !byNumber {
				if !errors.Is(offered, checkout.ErrOnlyLastDocument) || !errors.Is(err, checkout.ErrOnlyLastDocument) {
					t.Fatalf("offered %v, copy %v: want ErrOnlyLastDocument", offered, err)
				}
				if len(copiesOf(sim)) != 0 || stored.Copies != 0 {
					t.Fatalf("copies printed %v, counted %d", copiesOf(sim), stored.Copies)
				}
				return
			}
			if offered != nil || err != nil {
				t.Fatalf("offered %v, copy %v", offered, err)
			}
			want := firstDone.Document.ID()
			if got := copiesOf(sim); len(got) != 1 || got[0] != want {
				t.Fatalf("copies of %v, want %s", got, want)
			}
			if stored.Copies != 1 || stored.Document.ID() != want {
				t.Fatalf("stored copies %d of %s", stored.Copies, stored.Document.ID())
			}
			// The last receipt still takes the documented duplicate.
			if err := r.co.Copy(ctx, second.ID); err != nil {
				t.Fatal(err)
			}
			third := r.sale(t, 100)
			done, err := r.co.Complete(ctx, third, 100)
			if err != nil || done.Document.Number != 3 {
				t.Fatalf("the copies moved the numbering: %+v %v", done.Document, err)
			}
		})
	}
}

func TestReprintByNumberRefusesADocumentOfAnotherDay(t *testing.T) {
	r, sim := epsonRig(t, true)
	ctx := context.Background()
	s := r.sale(t, 500)
	if _, err := r.co.Complete(ctx, s, 500); err != nil {
		t.Fatal(err)
	}
	r.co.Now = func() time.Time { return time.Now().AddDate(0, 0, 1) }
	if err := r.co.ReprintByNumber(ctx, s.ID); !errors.Is(err, checkout.ErrNotCurrentDay) {
		t.Fatalf("reprint of yesterday's receipt: %v", err)
	}
	if len(copiesOf(sim)) != 0 {
		t.Fatalf("printed %v", copiesOf(sim))
	}
}
