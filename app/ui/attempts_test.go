package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"till/app/checkout"
	"till/fiscal"
	"till/fiscal/memprinter"
	"till/pos"
	"till/pos/ecrsim"
	"till/storage"
)

func TestStartUpRecoverySettlesAnAttemptLeftSentBeforeTheFirstSale(t *testing.T) {
	h := newHarness(t)
	h.terminals(1, nil)
	ctx := context.Background()
	// What a `till sale` killed after sending leaves: the attempt written as sent, the payment
	// approved on the terminal, no answer recorded.
	depts, _ := h.boot.DB.Departments(ctx)
	sale := &checkout.Sale{ID: storage.NewID(), StartedAt: time.Now(), Lines: []checkout.Line{
		{Description: "Menu pranzo", QtyMilli: 1000, UnitPrice: 1200, Department: depts[1]}}}
	dev, err := h.boot.Device(ctx, "dev-12345678")
	if err != nil {
		t.Fatal(err)
	}
	before, err := dev.Terminal.LastResult(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	a := &checkout.Attempt{ID: storage.NewID(), SaleID: sale.ID, Method: fiscal.Coverflex, State: checkout.AttemptCreated,
		Requested: 1200, DeviceID: dev.ID, TerminalID: dev.TerminalID, MerchantID: "CFX0001234", PrevSTAN: before.STAN,
		PrevRaw: string(before.Raw), Exclusive: dev.Exclusive, WorkTimeout: dev.WorkTimeout, CreatedAt: now, UpdatedAt: now}
	if err := h.boot.DB.RecordAttempt(ctx, sale, a); err != nil {
		t.Fatal(err)
	}
	if err := a.Send(time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := h.boot.DB.UpdateAttempt(ctx, a, checkout.AttemptCreated, nil); err != nil {
		t.Fatal(err)
	}
	if res, err := dev.Terminal.Pay(ctx, 1200, a.ID, pos.PayOptions{Type: pos.PayAuto}); err != nil || res.Outcome != pos.Approved {
		t.Fatalf("the terminal did not approve: %+v %v", res, err)
	}

	again := New(test.NewWindow(nil), h.till.deps)
	// Until the recovery is applied no payment starts, by key or by tap.
	again.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if again.current != again.sale || !strings.Contains(again.sale.message.Text, "Verifica dei pagamenti in sospeso in corso") {
		t.Fatalf("Enter during recovery: on %T %q", again.current, again.sale.message.Text)
	}
	again.WaitIdle()
	got := h.attempts(sale.ID)
	if len(got) != 1 || got[0].State != checkout.AttemptApproved || got[0].Evidence != checkout.EvidenceLastResult || got[0].Authorized != 1200 {
		t.Fatalf("after start-up: %+v", got)
	}
	msg := again.sale.message.Text
	for _, want := range []string{"chiarito l'esito di 1 pagamento", "1 vendita in sospeso", "Giornale"} {
		if !strings.Contains(msg, want) {
			t.Errorf("start message lacks %q: %q", want, msg)
		}
	}
	again.startPayment()
	if again.current == again.sale && strings.Contains(again.sale.message.Text, "in corso") {
		t.Fatal("PAGA is still refused after the recovery")
	}
}

func TestRecoverySummarySaysWhatWaitsAndWhere(t *testing.T) {
	unknown := checkout.Attempt{ID: "a1", SaleID: "s1", State: checkout.AttemptUnknown}
	tests := []struct {
		name      string
		r         checkout.Recovery
		want, not []string
	}{
		{"nothing", checkout.Recovery{}, nil, []string{"vendit"}},
		{"one pending", checkout.Recovery{Pending: []string{"s1"}}, []string{"1 vendita in sospeso", "Giornale"}, []string{"vendite"}},
		{"two pending", checkout.Recovery{Pending: []string{"s1", "s2"}}, []string{"2 vendite in sospeso"}, nil},
		{"a payment unknown, not the printer", checkout.Recovery{Unresolved: []checkout.Attempt{unknown}, Pending: []string{"s1"}},
			[]string{"1 vendita ha un pagamento con esito sconosciuto", "non ripetere", "PAGAMENTO DA VERIFICARE"},
			[]string{"stampante", "documento ancora da emettere"}},
		{"an uncertain receipt", checkout.Recovery{Uncertain: []string{"s2", "s3"}},
			[]string{"2 vendite hanno lo scontrino incerto", "stampante", "STAMPA INCERTA"}, nil},
		{"settled and documented", checkout.Recovery{Resolved: []checkout.Attempt{unknown}, Documented: []string{"s1", "s2"}},
			[]string{"1 pagamento", "2 scontrini risultavano stampati"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := recoverySummary(tt.r)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q lacks %q", got, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("%q has %q", got, n)
				}
			}
		})
	}
}

func TestUnknownPaymentResumedFromTheJournalOffersNoWayToPayAgain(t *testing.T) {
	h := newHarness(t)
	sim := h.terminals(1, nil)[0]
	h.firstSale()
	id := h.parkUnknown(sim, "400")
	if !strings.Contains(h.till.sale.message.Text, "Non ripetere") || strings.Contains(strings.ToLower(h.till.sale.message.Text), "addebitato") {
		t.Fatalf("parked message %q", h.till.sale.message.Text)
	}
	paid := sim.Payments()
	h.tap("Giornale")
	if row := h.till.journal.list.Rows[0].Left(); !strings.Contains(row, "PAGAMENTO DA VERIFICARE") {
		t.Fatalf("journal row %q", row)
	}
	test.Tap(h.till.journal.list.Rows[0])
	h.till.WaitIdle()
	p := h.till.payment
	if h.till.current != p || h.till.register.Sale().ID != id {
		t.Fatalf("resume: on %T", h.till.current)
	}
	for _, name := range []string{"Coverflex", "Carta", "Contanti", "CONFERMA", "Annulla e storna"} {
		if findButton(h.win.Content(), name) != nil {
			t.Errorf("%s is offered for a sale whose payment is unknown", name)
		}
	}
	if !p.handBtn.Visible() || p.handBtn.Disabled() || !p.back.Visible() || p.back.Disabled() {
		t.Fatal("Risolvi a mano and Indietro are not offered")
	}
	if p.due.Text != "4,00 € in attesa" {
		t.Fatalf("DA PAGARE %q", p.due.Text)
	}
	for _, want := range []string{"Coverflex", "4,00€", "POS banco", "esito non ancora noto", "non ripetere il pagamento"} {
		if !strings.Contains(p.openInfo.Text, want) {
			t.Errorf("open payment %q lacks %q", p.openInfo.Text, want)
		}
	}
	// The cashier presses what would pay: nothing reaches the terminal.
	h.key(fyne.KeyReturn)
	test.TypeOnCanvas(h.win.Canvas(), "500")
	h.key(fyne.KeyReturn)
	h.tap("5")
	p.doConfirm()
	p.choose(fiscal.Coverflex)
	h.till.WaitIdle()
	if sim.Payments() != paid || p.method != "" || len(h.attempts(id)) != 1 {
		t.Fatalf("keys started a payment: %d payments, method %q", sim.Payments(), p.method)
	}
	// Indietro sets the sale aside: it stays in the journal, the next sale starts empty.
	h.tap("Indietro")
	if h.till.current != h.till.sale || len(h.till.register.Sale().Lines) != 0 || !strings.Contains(h.till.sale.message.Text, "Non ripetere") {
		t.Fatalf("Indietro: on %T %q", h.till.current, h.till.sale.message.Text)
	}
	if a := h.attempts(id); len(a) != 1 || a[0].State != checkout.AttemptUnknown {
		t.Fatalf("attempts after Indietro %+v", a)
	}

	// Another sale on the same terminal is refused, naming the terminal and why.
	sim.SetScenario(ecrsim.Approve)
	h.ringAndPay("300", "Bar\n22%")
	h.tap("Coverflex", "CONFERMA")
	msg := h.till.payment.message.Text
	for _, want := range []string{"POS banco", "un'altra vendita", "4,00€", "esito non ancora noto"} {
		if !strings.Contains(msg, want) {
			t.Errorf("blocked message %q lacks %q", msg, want)
		}
	}
	if sim.Payments() != paid || h.till.current != h.till.payment || !h.till.payment.cashBtn.Visible() {
		t.Fatalf("the blocked payment: %d payments, on %T", sim.Payments(), h.till.current)
	}
}

func TestCancelledExchangeWithUnknownOutcomeIsParkedWithoutSayingNothingWasCharged(t *testing.T) {
	h := newHarness(t)
	sim := h.terminals(1, nil)[0]
	h.firstSale()
	sim.SetScenario(ecrsim.NoACK) // the request arrives; no ACK, no result, no answer to questions
	h.ringAndPay("400", "Bar\n22%")
	id, requests := h.till.register.Sale().ID, sim.Requests()
	h.tap("Coverflex")
	test.Tap(h.button("CONFERMA"))
	deadline := time.Now().Add(10 * time.Second)
	for sim.Requests() == requests {
		if time.Now().After(deadline) {
			t.Fatal("the payment request never reached the terminal")
		}
		time.Sleep(5 * time.Millisecond)
	}
	h.tap("Annulla")
	msg := h.till.sale.message.Text
	if h.till.current != h.till.sale || !strings.Contains(msg, "sconosciuto") || !strings.Contains(msg, "Non ripetere") ||
		strings.Contains(strings.ToLower(msg), "addebitato") {
		t.Fatalf("after cancel: on %T %q / %q", h.till.current, msg, h.till.payment.message.Text)
	}
	if a := h.attempts(id); len(a) != 1 || a[0].State != checkout.AttemptUnknown {
		t.Fatalf("attempts %+v", a)
	}
}

func TestTerminalThatNeverGetsTheRequestSaysNothingWasCharged(t *testing.T) {
	h := newHarness(t)
	sim := h.terminals(1, nil)[0]
	sim.Close() // the terminal is off: the connection is refused
	h.ringAndPay("400", "Bar\n22%")
	id := h.till.register.Sale().ID
	h.tap("Coverflex", "CONFERMA")
	msg := h.till.payment.message.Text
	if h.till.current != h.till.payment || !strings.Contains(msg, "non ha ricevuto la richiesta") || !strings.Contains(msg, "nulla è stato addebitato") {
		t.Fatalf("on %T: %q", h.till.current, msg)
	}
	a := h.attempts(id)
	if len(a) != 1 || a[0].State != checkout.AttemptDeclined || a[0].Evidence != checkout.EvidenceNotDelivered || h.till.payment.dueNow != 400 {
		t.Fatalf("attempts %+v due %d", a, h.till.payment.dueNow)
	}
}

func TestDeclineTextsAreItalianAndSayNothingWasChargedOnlyWithProof(t *testing.T) {
	tests := []struct {
		a    *checkout.Attempt
		want string
	}{
		{&checkout.Attempt{Evidence: checkout.EvidenceResult, TerminalText: "FONDI INSUFFICIENTI"}, "FONDI INSUFFICIENTI"},
		{&checkout.Attempt{Evidence: checkout.EvidenceNotProcessed}, "non ha eseguito la richiesta"},
		{&checkout.Attempt{Evidence: checkout.EvidenceNotDelivered}, "non ha ricevuto la richiesta"},
		{&checkout.Attempt{Evidence: checkout.EvidenceLastResult}, "rifiutato dal POS"},
	}
	for _, tt := range tests {
		got := declineText(tt.a)
		if !strings.Contains(got, tt.want) || !strings.Contains(strings.ToLower(got), "nulla è stato addebitato") || strings.Contains(got, "terminal ") {
			t.Errorf("%+v: %q", tt.a.Evidence, got)
		}
	}
}

func TestEveryPaymentErrorHasItsOwnItalianText(t *testing.T) {
	for _, err := range []error{checkout.ErrBlocked, &checkout.BlockedError{}, checkout.ErrInFlight, &checkout.StaleError{},
		&checkout.UnresolvedError{Reason: "the terminal could not be asked"}, checkout.ErrDeclined, checkout.ErrPrintUncertain,
		checkout.ErrNotUncertain, checkout.ErrPrinterNotReady, checkout.ErrBadSlip, checkout.ErrOverpay,
		checkout.ErrBadDocumentNumber, checkout.ErrLineTooSmall, checkout.ErrBusy} {
		got := errorText(err)
		if strings.HasPrefix(got, "Errore imprevisto") || strings.HasPrefix(got, "err.") || strings.Contains(got, err.Error()) {
			t.Errorf("%v: %q", err, got)
		}
	}
	for _, k := range errorKeys {
		if tr(k.key) == k.key {
			t.Errorf("%s has no text", k.key)
		}
	}
}

func TestResolveByHandRefusesAnOverpayAndReloadsAfterASettlement(t *testing.T) {
	h := newHarness(t)
	sim := h.terminals(1, nil)[0]
	h.firstSale()
	h.parkUnknown(sim, "400")
	h.tap("Giornale")
	test.Tap(h.till.journal.list.Rows[0])
	h.till.WaitIdle()
	p := h.till.payment
	h.tap("Risolvi a mano")
	if f := p.hand; f == nil || !strings.Contains(f.title, "POS banco") || strings.Contains(f.title, "12345678") || f.amount.Text != "4,00" {
		t.Fatalf("dialog %+v", f)
	}
	h.tap("Indietro") // the dialog's: nothing changes
	if h.dialogOpen() || p.unresolved() == nil {
		t.Fatal("dismissing the dialog changed something")
	}
	h.resolveByHand("Approvato", "000777", "5,00", "", "Giulia")
	if !strings.Contains(p.message.Text, "supera") || p.unresolved() == nil || p.due.Text != "4,00 € in attesa" || !p.handBtn.Visible() || p.handBtn.Disabled() {
		t.Fatalf("overpay: %q due %q", p.message.Text, p.due.Text)
	}
	h.resolveByHand("", "000777", "4,00", "", "Giulia")
	if !strings.Contains(p.message.Text, "Scegli l'esito") || p.unresolved() == nil {
		t.Fatalf("no outcome: %q", p.message.Text)
	}
	h.resolveByHand("Approvato", "000777", "400", "", "Giulia") // typed as on the keypad
	if p.unresolved() != nil || p.due.Text != "0,00 €" || !p.confirm.Visible() || p.confirm.Disabled() || p.handBtn.Visible() ||
		!strings.Contains(p.paid.Text, "Coverflex 4,00€ ✓") {
		t.Fatalf("after the settlement: due %q paid %q confirm %v", p.due.Text, p.paid.Text, p.confirm.Visible())
	}
	h.tap("CONFERMA")
	docs := h.boot.Printer.(*memprinter.Printer).Documents()
	if len(docs) != 2 || docs[1].Receipt.Payments[0].Amount != 400 || h.till.current != h.till.sale {
		t.Fatalf("printed %+v", docs)
	}
}

func TestAFailedReversalShowsWhatIsStillApproved(t *testing.T) {
	h := newHarness(t)
	sim := h.terminals(1, nil)[0]
	h.ringAndPay("1470", "Cucina\n10%")
	h.tap("Coverflex", "5", "0", "0", "CONFERMA")
	h.tap("Coverflex", "4", "0", "0", "CONFERMA")
	p := h.till.payment
	if p.dueNow != 570 || sim.Payments() != 2 {
		t.Fatalf("two vouchers: due %d, %d payments", p.dueNow, sim.Payments())
	}
	// The terminal reverses only its last payment: the 4,00 € goes back, the 5,00 € cannot.
	h.till.cancelWithReversal()
	h.till.WaitIdle()
	if h.till.current != p || sim.Reversals() != 1 || !strings.Contains(p.message.Text, "Storno non riuscito") {
		t.Fatalf("on %T, %d reversals: %q", h.till.current, sim.Reversals(), p.message.Text)
	}
	if p.paid.Text != "Coverflex 5,00€ ✓" || p.dueNow != 970 || p.due.Text != "9,70 €" || !p.cancel.Visible() {
		t.Fatalf("after the partial reversal: paid %q due %q", p.paid.Text, p.due.Text)
	}
}

// misreporting is a printer whose answer states another total than the receipt's: a real RT
// can disagree with the till by a rounding.
type misreporting struct{ *memprinter.Printer }

func (p misreporting) PrintReceipt(ctx context.Context, r fiscal.Receipt) (fiscal.DocumentRef, error) {
	ref, err := p.Printer.PrintReceipt(ctx, r)
	ref.Amount, ref.AmountReported = ref.Amount+1, true
	return ref, err
}

func TestAPrintedTotalThatDiffersIsToldToTheCashier(t *testing.T) {
	h := newHarness(t)
	h.boot.Checkout.Printer = misreporting{h.boot.Printer.(*memprinter.Printer)}
	h.tap("Caffè\n1,20", "PAGA", "Contanti", "CONFERMA")
	msg := h.till.sale.message.Text
	for _, want := range []string{"Scontrino 0001-0001", "1,21€", "1,20€", "Controlla lo scontrino"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if h.till.sale.message.Importance != widget.DangerImportance {
		t.Fatal("the warning does not stand out")
	}
}
