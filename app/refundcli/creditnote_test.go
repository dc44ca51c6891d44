package refundcli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"till/app/salecli"
	"till/fiscal/fatturapa/schematest"
	"till/storage"
)

// TestRefundOfAnInvoiceIsACreditNote: an invoiced sale is refunded with a FatturaPA TD04 that
// names the invoice, valid against the official schema; nothing goes to the RT printer, and
// the same line cannot be refunded twice.
func TestRefundOfAnInvoiceIsACreditNote(t *testing.T) {
	w := newWorld(t, true)
	var out, errb bytes.Buffer
	args := []string{"--db", w.db, "--printer", w.url, "--pay", "cash", "--document", "invoice", "--json",
		"--line", "TORTA;1;25,00;2", "--line", "CAFFE;2;1,20;1",
		"--customer-vat", "12345678903", "--customer-name", "Studio Bianchi",
		"--customer-address", "Corso Italia 10, 00184, Roma, RM", "--customer-sdi", "ABC1234"}
	if code := salecli.Run(args, &out, &errb); code != 0 {
		t.Fatalf("invoice sale: exit %d: %s %s", code, out.String(), errb.String())
	}
	var sold struct {
		Document struct {
			Number string `json:"number"`
		} `json:"document"`
	}
	if err := json.Unmarshal(out.Bytes(), &sold); err != nil || sold.Document.Number == "" {
		t.Fatalf("sale output %s: %v", out.String(), err)
	}
	sale := struct{ Document string }{sold.Document.Number}
	printed := len(w.sim.Journal())

	o := w.run("refund", sale.Document, "--line", "2:1")
	if o.code != 0 || o.res.CreditNote == "" || o.res.AmountCents != 120 {
		t.Fatalf("refund: exit %d: %s", o.code, o.out)
	}
	if len(w.sim.Journal()) != printed {
		t.Fatal("a credit note went to the RT printer")
	}
	db, err := storage.Open(context.Background(), w.db)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, err := db.Return(context.Background(), o.res.ID)
	if err != nil {
		t.Fatal(err)
	}
	schematest.Validate(t, []byte(r.XML))
	for _, want := range []string{"<TipoDocumento>TD04</TipoDocumento>", "<IdDocumento>" + sale.Document + "</IdDocumento>",
		"<Numero>" + o.res.CreditNote + "</Numero>", "<ImportoTotaleDocumento>1.20</ImportoTotaleDocumento>"} {
		if !strings.Contains(r.XML, want) {
			t.Errorf("credit note lacks %s:\n%s", want, r.XML)
		}
	}
	if o := w.run("refund", sale.Document, "--line", "2:2"); o.code != 1 {
		t.Errorf("refund over what is left: exit %d: %s", o.code, o.out)
	}
	if o := w.run("void", sale.Document); o.code != 1 {
		t.Errorf("void of an invoice: exit %d: %s", o.code, o.out)
	}
}
