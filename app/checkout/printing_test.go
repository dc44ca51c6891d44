package checkout_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"till/app/checkout"
	"till/fiscal/epson"
	"till/fiscal/rtsim"
)

// epsonRig swaps the rig's printer for the Epson driver talking to the RT simulator, which
// answers only what the printer contract documents; rewrite, when set, edits its answers.
func (r *rig) epson(t *testing.T, rewrite func([]byte) []byte) *rtsim.Server {
	t.Helper()
	sim, err := rtsim.New(rtsim.Config{HangMax: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if rewrite == nil {
			sim.ServeHTTP(w, req)
			return
		}
		rec := httptest.NewRecorder()
		sim.ServeHTTP(rec, req)
		w.Header().Set("Content-Type", rec.Header().Get("Content-Type"))
		w.Write(rewrite(rec.Body.Bytes()))
	}))
	t.Cleanup(func() { sim.Close(); srv.Close() })
	p, err := epson.New(epson.Config{URL: srv.URL, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	r.co.Printer = p
	return sim
}

func receiptsOf(sim *rtsim.Server) int {
	n := 0
	for _, e := range sim.Journal() {
		if e.Kind == "receipt" {
			n++
		}
	}
	return n
}

// 11. A receipt whose answer is lost is never printed again on the till's own say: the sale
// waits as uncertain, recovery leaves it so, and a person's answer settles it exactly once.
func TestLostReceiptAnswerWaitsForAPersonAndIsPrintedOnce(t *testing.T) {
	for _, tt := range []struct {
		fault   string
		printed bool // the simulator issued the receipt before the answer was lost
	}{
		{"once:drop-after-issue", true},
		{"once:hang-after-issue", true},
		{"once:no-answer-receipt", false},
	} {
		t.Run(tt.fault, func(t *testing.T) {
			r := newRig(t)
			ctx := context.Background()
			sim := r.epson(t, nil)
			sim.SetFault(tt.fault)
			s := r.sale(t, 120)
			_, err := r.co.Complete(ctx, s, 120)
			if !errors.Is(err, checkout.ErrPrintUncertain) {
				t.Fatalf("lost answer: %v", err)
			}
			if _, err := r.co.Complete(ctx, s, 120); !errors.Is(err, checkout.ErrPrintUncertain) {
				t.Fatalf("printed again: %v", err)
			}
			rec, err := r.co.Recover(ctx)
			if err != nil || len(rec.Uncertain) != 1 || rec.Uncertain[0] != s.ID {
				t.Fatalf("recovery %+v %v", rec, err)
			}
			want := 0
			if tt.printed {
				want = 1
			}
			if receiptsOf(sim) != want {
				t.Fatalf("%d receipts before the answer", receiptsOf(sim))
			}
			var done checkout.Completed
			if tt.printed {
				done, err = r.co.ConfirmPrinted(ctx, s.ID, sim.Journal()[0].ID, "Maria")
			} else {
				done, err = r.co.ConfirmNotPrinted(ctx, s.ID, "Maria")
			}
			if err != nil || receiptsOf(sim) != 1 || done.Document.Label != sim.Journal()[0].ID {
				t.Fatalf("after the answer: %+v %v, %d receipts", done, err, receiptsOf(sim))
			}
			stored, _ := r.db.Sale(ctx, s.ID)
			if stored.State != "documented" || stored.PrintUncertain || stored.Document.Label != sim.Journal()[0].ID {
				t.Fatalf("stored %+v", stored)
			}
			if _, err := r.co.ConfirmNotPrinted(ctx, s.ID, "Maria"); err == nil || receiptsOf(sim) != 1 {
				t.Fatalf("answered again: %v, %d receipts", err, receiptsOf(sim))
			}
		})
	}
}

// A receipt number typed by a person must be a receipt number.
func TestConfirmPrintedNeedsANumberAndAName(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	for _, n := range []string{"", "12", "0001/0002", "0000-0001", "A001-0002"} {
		if _, err := r.co.ConfirmPrinted(ctx, "x", n, "Maria"); !errors.Is(err, checkout.ErrBadDocumentNumber) {
			t.Errorf("%q: %v", n, err)
		}
	}
	if _, err := r.co.ConfirmPrinted(ctx, "x", "0001-0002", ""); !errors.Is(err, checkout.ErrBadSlip) {
		t.Errorf("nobody named: %v", err)
	}
}

// 12. A printed total that differs from the sale's is recorded on the document and told.
func TestPrintedTotalThatDiffersIsRecordedAndTold(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	r.epson(t, func(b []byte) []byte {
		return bytes.Replace(b, []byte("<fiscalReceiptAmount>1,34</fiscalReceiptAmount>"), []byte("<fiscalReceiptAmount>1,33</fiscalReceiptAmount>"), 1)
	})
	s := r.sale(t, 134)
	done, err := r.co.Complete(ctx, s, 134)
	var mismatch *checkout.AmountMismatch
	if err != nil || !errors.As(done.Warning, &mismatch) || mismatch.Printed != 133 || mismatch.Sale != 134 {
		t.Fatalf("%+v %v", done, err)
	}
	stored, _ := r.db.Sale(ctx, s.ID)
	var audited int
	r.db.SQL().QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'printer_amount_differs' AND subject = ?`, s.ID).Scan(&audited)
	if stored.Document.Amount != 133 || stored.Total != 134 || audited != 1 {
		t.Fatalf("stored %+v, audited %d", stored, audited)
	}
}

// A copy is never printed while another receipt may have come out after the last recorded
// one: the printer's duplicate would be of that receipt, not of the customer's.
func TestNoCopyWhileAReceiptIsUncertain(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	sim := r.epson(t, nil)
	first := r.sale(t, 500)
	if _, err := r.co.Complete(ctx, first, 500); err != nil {
		t.Fatal(err)
	}
	sim.SetFault("once:drop-after-issue")
	if _, err := r.co.Complete(ctx, r.sale(t, 700), 700); !errors.Is(err, checkout.ErrPrintUncertain) {
		t.Fatalf("lost answer: %v", err)
	}
	if err := r.co.Reprint(ctx, first.ID); !errors.Is(err, checkout.ErrNoCopies) {
		t.Fatalf("copy while a receipt is uncertain: %v", err)
	}
	for _, e := range sim.Journal() {
		if e.Kind == "copy" {
			t.Fatalf("a copy was printed: %+v", e)
		}
	}
}
