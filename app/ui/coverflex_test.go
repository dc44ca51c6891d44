package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"till/app/checkout"
	"till/app/config"
	"till/fiscal"
	"till/fiscal/memprinter"
	"till/pos/ecrsim"
)

// terminals starts n simulated terminals and caches a configuration enabling them for this
// till; change alters the document before it is cached (to break one of the four conditions).
func (h *harness) terminals(n int, change func(d *config.Document)) []*ecrsim.Sim {
	h.t.Helper()
	doc := &config.Document{Format: 1, Version: 3,
		Account:    config.Account{ID: "acc-1", Name: "Bar Centrale", CoverflexEnabled: true},
		SalesPoint: config.SalesPoint{ID: "sp-1", Name: "Milano", CoverflexVisible: true, CoverflexMerchantID: "CFX0001234"},
		Till:       config.Till{ID: "till-1", Name: "Cassa 1"},
		Tills:      []config.Till{{ID: "till-1"}, {ID: "till-2"}}}
	var sims []*ecrsim.Sim
	for i, tid := range []string{"12345678", "87654321", "11223344"}[:n] {
		sim, err := ecrsim.New(ecrsim.Config{TerminalID: tid})
		if err != nil {
			h.t.Fatal(err)
		}
		h.t.Cleanup(func() { sim.Close() })
		addr, err := sim.ListenTCP("127.0.0.1:0")
		if err != nil {
			h.t.Fatal(err)
		}
		sims = append(sims, sim)
		doc.PaymentDevices = append(doc.PaymentDevices, config.Device{ID: "dev-" + tid, Name: []string{"POS banco", "POS sala", "POS dehors"}[i],
			Model: config.ModelEMW, TerminalID: tid, Link: "tcp://" + addr.String(), EnabledTills: []string{"till-1"},
			Profile: map[string]string{"ack_timeout": "200ms", "result_timeout": "600ms", "connect_timeout": "500ms"}})
	}
	if change != nil {
		change(doc)
	}
	if err := h.boot.DB.SaveConfig(context.Background(), doc, config.SourceFile); err != nil {
		h.t.Fatal(err)
	}
	return sims
}

func (h *harness) ringAndPay(digits, dept string) {
	h.t.Helper()
	for _, d := range digits {
		h.tap(string(d))
	}
	h.tap(dept, "PAGA")
}

func visible(b *widget.Button) bool { return b.Visible() }

func TestCoverflexOfferedExactlyWhenTheFourConditionsHold(t *testing.T) {
	tests := []struct {
		name    string
		change  func(d *config.Document)
		offered bool
	}{
		{"all four hold", nil, true},
		{"account not enabled", func(d *config.Document) { d.Account.CoverflexEnabled = false }, false},
		{"sales point not visible", func(d *config.Document) { d.SalesPoint.CoverflexVisible = false }, false},
		{"no merchant id", func(d *config.Document) { d.SalesPoint.CoverflexMerchantID = "" }, false},
		{"no terminal for this till", func(d *config.Document) { d.PaymentDevices[0].EnabledTills = []string{"till-2"} }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.terminals(1, tt.change)
			h.ringAndPay("1200", "Cucina\n10%")
			if got := visible(h.till.payment.cfBtn); got != tt.offered {
				t.Fatalf("Coverflex shown = %v, want %v", got, tt.offered)
			}
			if !visible(h.till.payment.cashBtn) {
				t.Fatal("cash is not offered")
			}
		})
	}
}

func TestCoverflexWithOneTerminalApprovedIssuesTheReceipt(t *testing.T) {
	h := newHarness(t)
	sims := h.terminals(1, nil)
	h.ringAndPay("1200", "Cucina\n10%")
	h.tap("Coverflex", "CONFERMA")
	if h.till.current != h.till.sale {
		t.Fatalf("on %T: %q", h.till.current, h.till.payment.message.Text)
	}
	if msg := h.till.sale.message.Text; !strings.Contains(msg, "Scontrino 0001-0001") {
		t.Fatalf("message %q", msg)
	}
	docs := h.boot.Printer.(*memprinter.Printer).Documents()
	if len(docs) != 1 || docs[0].Receipt.Payments[0].Method != fiscal.Coverflex || docs[0].Receipt.Payments[0].Amount != 1200 {
		t.Fatalf("printed %+v", docs)
	}
	if sims[0].Payments() != 1 {
		t.Fatalf("terminal payments %d", sims[0].Payments())
	}
	if !strings.Contains(h.till.exchange.text.Text, "AUTORIZZAZIONE") {
		t.Fatalf("the terminal's text was not shown: %q", h.till.exchange.text.Text)
	}
}

func TestSeveralTerminalsPromptLastUsedFirstAndCanBeCancelled(t *testing.T) {
	h := newHarness(t)
	sims := h.terminals(2, nil)
	h.ringAndPay("500", "Bar\n22%")
	h.tap("Coverflex", "CONFERMA")
	if h.till.current != h.till.prompt || len(h.till.prompt.devices) != 2 {
		t.Fatalf("no prompt: %T", h.till.current)
	}
	h.tap("Indietro")
	if h.till.current != h.till.payment || sims[0].Requests()+sims[1].Requests() != 0 {
		t.Fatal("cancelling the prompt did not go back without sending")
	}
	h.tap("CONFERMA", "POS sala\nIngenico_EMW · 87654321")
	if sims[1].Payments() != 1 || sims[0].Payments() != 0 || h.till.current != h.till.sale {
		t.Fatalf("payments banco %d sala %d on %T", sims[0].Payments(), sims[1].Payments(), h.till.current)
	}
	h.ringAndPay("300", "Bar\n22%")
	h.tap("Coverflex", "CONFERMA")
	if first := h.till.prompt.devices[0]; first.Name != "POS sala" {
		t.Fatalf("last used is not first: %s", first.Name)
	}
	// After a restart the order comes from the database.
	again := New(test.NewWindow(nil), h.till.deps)
	again.WaitIdle()
	if _, ok := again.lastUsed["dev-87654321"]; !ok || len(again.lastUsed) != 1 {
		t.Fatalf("last used after restart: %v", again.lastUsed)
	}
}

func TestDeclinedShowsTheTerminalTextAndRecordsNothingPaid(t *testing.T) {
	h := newHarness(t)
	h.terminals(1, nil)
	h.ringAndPay("101", "Bar\n22%") // 1,01 € makes the simulator decline
	h.tap("Coverflex", "CONFERMA")
	if h.till.current != h.till.payment || !strings.Contains(h.till.payment.message.Text, "FONDI INSUFFICIENTI") {
		t.Fatalf("on %T: %q", h.till.current, h.till.payment.message.Text)
	}
	if h.till.payment.dueNow != 101 || !h.till.payment.back.Visible() || h.till.payment.back.Disabled() {
		t.Fatal("a declined payment changed what is due or locked the sale")
	}
	h.tap("Contanti", "CONFERMA")
	totals, _ := h.boot.DB.Totals(context.Background(), time.Now())
	if totals.ByMethod[fiscal.Coverflex] != 0 || totals.ByMethod[fiscal.Cash] != 101 {
		t.Fatalf("totals %+v", totals.ByMethod)
	}
}

func TestUnknownOutcomeIsResolvedWithTheLastResult(t *testing.T) {
	h := newHarness(t)
	sims := h.terminals(1, nil)
	h.ringAndPay("105", "Bar\n22%") // 1,05 €: approved, then the link drops before the result
	h.tap("Coverflex", "CONFERMA")
	if h.till.current != h.till.sale || sims[0].Payments() != 1 || len(h.boot.Printer.(*memprinter.Printer).Documents()) != 1 {
		t.Fatalf("on %T: %q / %q", h.till.current, h.till.payment.message.Text, h.till.sale.message.Text)
	}
}

func TestUnreachableTerminalParksTheSaleUntilResolved(t *testing.T) {
	h := newHarness(t)
	sims := h.terminals(1, nil)
	h.firstSale()                     // the till learns the terminal's last result
	sims[0].SetScenario(ecrsim.NoACK) // swallows the payment and every question after it
	h.ringAndPay("400", "Bar\n22%")
	h.tap("Coverflex", "CONFERMA")
	if h.till.current != h.till.sale || !strings.Contains(h.till.sale.message.Text, "sospesa") || len(h.till.register.Sale().Lines) != 0 {
		t.Fatalf("not parked: %T %q", h.till.current, h.till.sale.message.Text)
	}
	entries, _ := h.boot.DB.Journal(context.Background(), time.Now())
	if len(entries) != 2 || entries[0].Documented || !entries[0].PaymentUnknown {
		t.Fatalf("journal %+v", entries)
	}
	sims[0].SetScenario(ecrsim.Approve)
	h.till.RetryNow()
	h.till.WaitIdle()
	attempts, _ := h.boot.DB.SaleAttempts(context.Background(), entries[0].SaleID)
	if len(attempts) != 1 || attempts[0].State != checkout.AttemptDeclined || attempts[0].Evidence != checkout.EvidenceNotProcessed ||
		sims[0].Payments() != 1 || !strings.Contains(h.till.sale.message.Text, "Esito chiarito per 1 pagamento") {
		t.Fatalf("after the terminal answered: %+v %q", attempts, h.till.sale.message.Text)
	}
}

func TestCoverflexForPartThenCashForTheRest(t *testing.T) {
	h := newHarness(t)
	h.terminals(1, nil)
	h.ringAndPay("1470", "Cucina\n10%")
	h.tap("Coverflex", "8", "0", "0")
	if h.till.payment.amount.Text != "8,00 €" {
		t.Fatalf("amount %q", h.till.payment.amount.Text)
	}
	h.tap("CONFERMA")
	if h.till.current != h.till.payment || h.till.payment.dueNow != 670 || h.till.payment.method != fiscal.Cash {
		t.Fatalf("after the voucher: %T due %d %q", h.till.current, h.till.payment.dueNow, h.till.payment.message.Text)
	}
	if !h.till.payment.back.Disabled() || !h.till.payment.cancel.Visible() || !strings.Contains(h.till.payment.paid.Text, "Coverflex 8,00€") {
		t.Fatal("the sale with an approved voucher is not locked")
	}
	h.tap("10,00 €", "CONFERMA")
	docs := h.boot.Printer.(*memprinter.Printer).Documents()
	if len(docs) != 1 || len(docs[0].Receipt.Payments) != 2 || !strings.Contains(h.till.sale.message.Text, "Resto 3,30€") {
		t.Fatalf("docs %+v message %q", docs, h.till.sale.message.Text)
	}
}

func TestCancellingASaleWithAnApprovedVoucherReversesIt(t *testing.T) {
	h := newHarness(t)
	sims := h.terminals(1, nil)
	h.ringAndPay("1470", "Cucina\n10%")
	h.tap("Coverflex", "5", "0", "0", "CONFERMA")
	if sims[0].Total() != 500 {
		t.Fatalf("terminal total %d", sims[0].Total())
	}
	h.till.cancelWithReversal()
	h.till.WaitIdle()
	if sims[0].Total() != 0 || sims[0].Reversals() != 1 || h.till.current != h.till.sale ||
		!strings.Contains(h.till.sale.message.Text, "stornati") {
		t.Fatalf("total %d reversals %d %q", sims[0].Total(), sims[0].Reversals(), h.till.sale.message.Text)
	}
	entries, _ := h.boot.DB.Journal(context.Background(), time.Now())
	if len(entries) != 1 || !entries[0].Cancelled {
		t.Fatalf("journal %+v", entries)
	}
}

func TestPrinterOutOfPaperAfterApprovalPrintsOnceWhenFixed(t *testing.T) {
	h := newHarness(t)
	sims := h.terminals(1, nil)
	printer := h.boot.Printer.(*memprinter.Printer)
	printer.SetFault(&fiscal.Error{Kind: fiscal.ErrNotReady, Code: "EPTR_REC_EMPTY"})
	h.ringAndPay("900", "Bar\n22%")
	// A printer that cannot print is found before the terminal charges anything.
	h.tap("Coverflex", "CONFERMA")
	if h.till.current != h.till.payment || !strings.Contains(h.till.payment.message.Text, "non è pronta") || sims[0].Requests() != 0 {
		t.Fatalf("paper out before paying: on %T, %d requests: %q", h.till.current, sims[0].Requests(), h.till.payment.message.Text)
	}
	// The paper runs out after the voucher was approved: the rest in cash does not print.
	printer.SetFault(nil)
	h.tap("Coverflex", "5", "0", "0", "CONFERMA")
	if sims[0].Payments() != 1 || h.till.payment.dueNow != 400 {
		t.Fatalf("voucher: %d payments, due %d: %q", sims[0].Payments(), h.till.payment.dueNow, h.till.payment.message.Text)
	}
	printer.SetFault(&fiscal.Error{Kind: fiscal.ErrNotReady, Code: "EPTR_REC_EMPTY"})
	h.tap("CONFERMA")
	if h.till.current != h.till.payment || !strings.Contains(h.till.payment.message.Text, "Carta esaurita") ||
		!strings.Contains(h.till.payment.message.Text, "vendita è salvata") || len(printer.Documents()) != 0 {
		t.Fatalf("on %T: %q", h.till.current, h.till.payment.message.Text)
	}
	printer.SetFault(nil)
	h.tap("CONFERMA")
	if h.till.current != h.till.sale || len(printer.Documents()) != 1 || sims[0].Payments() != 1 {
		t.Fatalf("retry: on %T, %d documents, %d payments", h.till.current, len(printer.Documents()), sims[0].Payments())
	}
	if pays := printer.Documents()[0].Receipt.Payments; len(pays) != 2 || pays[0].Method != fiscal.Coverflex || pays[0].Amount != 500 {
		t.Fatalf("printed payments %+v", pays)
	}
}

func TestPendingSaleWithApprovedVoucherIsResumedFromTheJournal(t *testing.T) {
	h := newHarness(t)
	sims := h.terminals(1, nil)
	// A sale left pending by a crash after the approval: rung up and paid on the terminal,
	// no document yet.
	ctx := context.Background()
	deps, _ := h.boot.DB.Departments(ctx)
	sale := &checkout.Sale{ID: "01900000-0000-7000-8000-000000000001", Lines: []checkout.Line{
		{Description: "Menu pranzo", QtyMilli: 1000, UnitPrice: 1200, Department: deps[1]}}}
	dev, err := h.boot.Device(ctx, "dev-12345678")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.boot.Checkout.PayElectronic(ctx, sale, checkout.ElectronicRequest{Method: fiscal.Coverflex, Amount: 1200,
		Device: dev, MerchantID: "CFX0001234"}); err != nil {
		t.Fatal(err)
	}
	h.tap("Giornale")
	if len(h.till.journal.entries) != 1 || !strings.Contains(h.till.journal.list.Rows[0].Left(), "IN SOSPESO") {
		t.Fatalf("journal %+v", h.till.journal.entries)
	}
	test.Tap(h.till.journal.list.Rows[0])
	h.till.WaitIdle()
	if h.till.current != h.till.payment || h.till.payment.dueNow != 0 || !strings.Contains(h.till.payment.paid.Text, "Coverflex 12,00€") {
		t.Fatalf("resume: on %T due %d paid %q", h.till.current, h.till.payment.dueNow, h.till.payment.paid.Text)
	}
	h.tap("CONFERMA")
	docs := h.boot.Printer.(*memprinter.Printer).Documents()
	if len(docs) != 1 || docs[0].Receipt.Payments[0].Method != fiscal.Coverflex || sims[0].Payments() != 1 {
		t.Fatalf("printed %+v", docs)
	}
	stored, _ := h.boot.DB.Sale(ctx, sale.ID)
	if stored.State != "documented" {
		t.Fatalf("sale %s", stored.State)
	}
}

func TestManagerResolvesAnUnknownPaymentByHandWithAnAuditEntry(t *testing.T) {
	h := newHarness(t)
	sims := h.terminals(1, nil)
	sims[0].SetScenario(ecrsim.NoACK)
	h.ringAndPay("400", "Bar\n22%")
	h.tap("Coverflex", "CONFERMA") // parked: the terminal does not answer
	h.tap("Giornale")
	test.Tap(h.till.journal.list.Rows[0])
	h.till.WaitIdle()
	p := h.till.payment
	if h.till.current != p || !p.handBtn.Visible() || p.confirm.Visible() || p.cancel.Visible() {
		t.Fatalf("resumed unknown sale: on %T hand %v confirm %v", h.till.current, p.handBtn.Visible(), p.confirm.Visible())
	}
	h.resolveByHand("Approvato", "12345", "4,00", "A1B2C3", "Giulia")
	if !strings.Contains(p.message.Text, "incompleti") || p.unresolved() == nil {
		t.Fatalf("a 5-digit STAN was accepted: %q", p.message.Text)
	}
	h.resolveByHand("Approvato", "000777", "4,00", "A1B2C3", "Giulia")
	if p.dueNow != 0 || p.handBtn.Visible() {
		t.Fatalf("after the manual approval: due %d", p.dueNow)
	}
	var actor, detail string
	h.boot.DB.SQL().QueryRow(`SELECT actor, detail FROM audit_log WHERE action = 'resolve_attempt_by_hand'`).Scan(&actor, &detail)
	if actor != "Giulia" || !strings.Contains(detail, "000777") {
		t.Fatalf("audit %q %q", actor, detail)
	}
	h.tap("CONFERMA")
	docs := h.boot.Printer.(*memprinter.Printer).Documents()
	if len(docs) != 1 || docs[0].Receipt.Payments[0].Method != fiscal.Coverflex {
		t.Fatalf("printed %+v", docs)
	}
}

func TestInvoiceWithCoverflexFromThePaymentScreen(t *testing.T) {
	h := newHarness(t)
	h.terminals(1, nil)
	h.ringAndPay("2550", "Cucina\n10%")
	h.tap("Fattura")
	if h.till.current != h.till.customer {
		t.Fatalf("Fattura did not ask for the customer: on %T", h.till.current)
	}
	for f, v := range map[string]string{checkout.FieldCompany: "Studio Bianchi Srl", checkout.FieldVATNumber: "12345678903",
		checkout.FieldAddress: "Via Roma 1", checkout.FieldCAP: "20121", checkout.FieldCity: "Milano", checkout.FieldProvince: "MI",
		checkout.FieldRecipientCode: "ABC1234"} {
		h.till.customer.entries[f].SetText(v)
	}
	h.till.customer.doConfirm()
	h.till.WaitIdle()
	if h.till.current != h.till.payment || h.till.payment.customer == nil || !strings.Contains(h.till.payment.custBtn.Text, "Studio Bianchi") {
		t.Fatalf("back on %T with customer %+v", h.till.current, h.till.payment.customer)
	}
	h.tap("Coverflex", "CONFERMA")
	if h.till.current != h.till.sale || !strings.Contains(h.till.sale.message.Text, "Fattura 1/") {
		t.Fatalf("on %T: %q / %q", h.till.current, h.till.payment.message.Text, h.till.sale.message.Text)
	}
	invoices, err := h.boot.DB.Invoices(context.Background(), 0)
	if err != nil || len(invoices) != 1 || !strings.Contains(string(invoices[0].XML), "<ImportoTotaleDocumento>25.50</ImportoTotaleDocumento>") ||
		strings.Contains(string(invoices[0].XML), "DettaglioPagamento") {
		t.Fatalf("invoices %d, %v", len(invoices), err)
	}
	if n := len(h.boot.Printer.(*memprinter.Printer).Documents()); n != 0 {
		t.Fatalf("an invoice also printed %d receipts", n)
	}
}
