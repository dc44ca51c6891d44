package checkout_test

import (
	"context"
	"errors"
	"testing"

	"till/app/checkout"
	"till/fiscal"
)

func TestReprintIsACopyOfTheLastReceiptNeverANewDocument(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	first := r.sale(t, 500)
	if _, err := r.co.Complete(ctx, first, 500); err != nil {
		t.Fatal(err)
	}
	second := r.sale(t, 700)
	if _, err := r.co.Complete(ctx, second, 700); err != nil {
		t.Fatal(err)
	}
	if err := r.co.Reprint(ctx, second.ID); err != nil {
		t.Fatal(err)
	}
	docs := r.printer.Documents()
	if len(docs) != 3 || docs[2].Kind != "copy" || docs[2].Ref.Number != 2 {
		t.Fatalf("printed %+v", docs)
	}
	// The printer reprints only what it issued last and may not be able to say what that was:
	// the till offers only the receipt it recorded last, and asks the printer nothing else.
	if err := r.co.Reprint(ctx, first.ID); !errors.Is(err, checkout.ErrNoCopies) || len(r.printer.Documents()) != 3 {
		t.Fatalf("a copy of an older receipt: %v", err)
	}
	stored, _ := r.db.Sale(ctx, second.ID)
	if stored.Copies != 1 || stored.Document.Number != 2 {
		t.Fatalf("copies %d", stored.Copies)
	}
	third := r.sale(t, 100)
	done, _ := r.co.Complete(ctx, third, 100)
	if done.Document.Number != 3 {
		t.Fatalf("the copy moved the numbering: next is %d", done.Document.Number)
	}
}

func TestInvoicePrintsACourtesyCopyWhenConfigured(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	r.co.CourtesyInvoice = true
	cu := checkout.Customer{Company: "Studio Bianchi Srl", VATNumber: "12345678903", Address: "Via Roma 1", CAP: "20121",
		City: "Milano", Province: "MI", RecipientCode: "ABC1234"}
	cu, err := r.db.SaveCustomer(ctx, cu)
	if err != nil {
		t.Fatal(err)
	}
	s := r.sale(t, 1200, 150)
	done, err := r.co.CompleteInvoice(ctx, s, 1350, cu, checkout.DemoSeller())
	if err != nil || done.Warning != nil {
		t.Fatalf("%+v %v", done, err)
	}
	docs := r.printer.Documents()
	if len(docs) != 1 || docs[0].Kind != "invoice" || docs[0].Receipt.Total() != 1350 || docs[0].Receipt.CustomerTaxID != done.Document.Label {
		t.Fatalf("courtesy copy %+v", docs)
	}
	r.printer.SetFault(&fiscal.Error{Kind: fiscal.ErrNotReady, Code: "EPTR_REC_EMPTY"})
	s2 := r.sale(t, 300)
	done, err = r.co.CompleteInvoice(ctx, s2, 300, cu, checkout.DemoSeller())
	if err != nil || !errors.Is(done.Warning, fiscal.ErrNotReady) || done.Document.Label == "" {
		t.Fatalf("paper out on the courtesy copy must not undo the invoice: %+v %v", done, err)
	}
	stored, _ := r.db.Sale(ctx, s2.ID)
	if stored.State != "documented" {
		t.Fatalf("sale %s", stored.State)
	}
}
