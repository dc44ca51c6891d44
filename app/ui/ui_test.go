package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"till/app/boot"
	"till/app/checkout"
	"till/fiscal"
	"till/fiscal/memprinter"
	"till/storage"
)

func TestKeypadAndDepartmentMakeALine(t *testing.T) {
	h := newHarness(t)
	h.tap("1", "2", "5", "0")
	if got := h.till.sale.display.Text; got != "12,50" {
		t.Fatalf("display = %q, want 12,50", got)
	}
	h.tap("Cucina\n10%")
	lines := h.till.register.Sale().Lines
	if len(lines) != 1 || lines[0].UnitPrice != 1250 || lines[0].Department.VATRate != 1000 {
		t.Fatalf("lines = %+v", lines)
	}
	if got := h.till.sale.total.Text; got != "12,50 €" {
		t.Fatalf("total = %q", got)
	}
	if got := h.till.sale.lines.Rows[0].Right(); got != "12,50" {
		t.Fatalf("first row amount = %q", got)
	}
}

func TestMultiplyProductAndVoidChosenLine(t *testing.T) {
	h := newHarness(t)
	h.tap("3", "X", "Caffè\n1,20", "Cappuccino\n1,60", "5", "0", "0", "Alimentari\n4%")
	sale := h.till.register.Sale()
	if len(sale.Lines) != 3 || sale.Lines[0].QtyMilli != 3000 || sale.Total() != 360+160+500 {
		t.Fatalf("sale = %+v total %d", sale.Lines, sale.Total())
	}
	if got := h.till.sale.lines.Rows[0].Left(); !strings.Contains(got, "3 × 1,20") {
		t.Fatalf("row 1 = %q", got)
	}
	test.Tap(h.till.sale.lines.Rows[1]) // Cappuccino
	h.tap("Storna riga")
	if sale := h.till.register.Sale(); len(sale.Lines) != 2 || sale.Lines[1].Description != "Alimentari" || h.till.sale.total.Text != "8,60 €" {
		t.Fatalf("after void line: %+v total %s", sale.Lines, h.till.sale.total.Text)
	}
	h.tap("Storna ultima")
	if sale := h.till.register.Sale(); len(sale.Lines) != 1 || sale.Lines[0].Description != "Caffè" {
		t.Fatalf("after void last: %+v", sale.Lines)
	}
	h.tap("Storna riga")
	if !strings.Contains(h.till.sale.message.Text, "Tocca una riga") {
		t.Fatalf("void line without a selection: %q", h.till.sale.message.Text)
	}
}

func TestBadInputShowsMessageAndChangesNothing(t *testing.T) {
	h := newHarness(t)
	h.tap("PAGA")
	if h.till.current != h.till.sale || !strings.Contains(h.till.sale.message.Text, "vendita è vuota") {
		t.Fatalf("PAGA on empty sale: screen %T message %q", h.till.current, h.till.sale.message.Text)
	}
	h.tap("Bar\n22%")
	if !strings.Contains(h.till.sale.message.Text, "Digita prima il prezzo") || len(h.till.register.Sale().Lines) != 0 {
		t.Fatalf("department without price: %q", h.till.sale.message.Text)
	}
	test.TypeOnCanvas(h.win.Canvas(), "99999999")
	// The eighth 9 is refused: 9999999 cents (99.999,99 €) stays on the display.
	if h.till.register.Entry() != 9999999 || h.till.sale.display.Text != "99.999,99" || !strings.Contains(h.till.sale.message.Text, "99.999,99") {
		t.Fatalf("entry = %d display %q message %q", h.till.register.Entry(), h.till.sale.display.Text, h.till.sale.message.Text)
	}
	h.tap("C", "0", "0", "Bar\n22%")
	if len(h.till.register.Sale().Lines) != 0 || !strings.Contains(h.till.sale.message.Text, "Digita prima") {
		t.Fatalf("zero price accepted: %+v %q", h.till.register.Sale().Lines, h.till.sale.message.Text)
	}
}

func TestCashPaymentRecordsSaleAndShowsReceiptNumber(t *testing.T) {
	h := newHarness(t)
	h.tap("1", "2", "0", "0", "Cucina\n10%", "3", "8", "0", "Alimentari\n4%", "2", "0", "0", "Escluso art. 15\nN1", "2", "X", "Acqua 50cl\n1,50")
	if got := h.till.sale.total.Text; got != "20,80 €" {
		t.Fatalf("total = %q", got)
	}
	h.tap("PAGA")
	if h.till.current != h.till.payment || h.till.payment.due.Text != "20,80 €" {
		t.Fatalf("payment screen: %T due %q", h.till.current, h.till.payment.due.Text)
	}
	h.tap("Contanti", "20,00 €")
	if h.till.payment.change.Text != "—" {
		t.Fatalf("change with 20 € tendered = %q", h.till.payment.change.Text)
	}
	h.tap("CONFERMA")
	if h.till.current != h.till.payment || !strings.Contains(h.till.payment.message.Text, "inferiore al totale") || h.journal() != 0 {
		t.Fatalf("tender below total: %T %q journal %d", h.till.current, h.till.payment.message.Text, h.journal())
	}
	h.tap("5,00 €")
	if h.till.payment.tendered.Text != "25,00 €" || h.till.payment.change.Text != "4,20 €" {
		t.Fatalf("tendered %q change %q", h.till.payment.tendered.Text, h.till.payment.change.Text)
	}
	saleID := h.till.register.Sale().ID
	h.tap("CONFERMA")
	if h.till.current != h.till.sale {
		t.Fatalf("still on %T: %q", h.till.current, h.till.payment.message.Text)
	}
	if msg := h.till.sale.message.Text; !strings.Contains(msg, "Scontrino 0001-0001") || !strings.Contains(msg, "Resto 4,20€") {
		t.Fatalf("message = %q", msg)
	}
	if len(h.till.register.Sale().Lines) != 0 || h.till.sale.total.Text != "0,00 €" {
		t.Fatal("the next sale is not empty")
	}
	stored, err := h.boot.DB.Sale(context.Background(), saleID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.State != "documented" || stored.Total != 2080 || len(stored.Lines) != 4 || stored.Lines[3].QtyMilli != 2000 ||
		stored.Payments[0].Tendered != 2500 || stored.Payments[0].Change != 420 || stored.Document.ID() != "0001-0001" {
		t.Fatalf("stored = %+v doc %+v", stored, stored.Document)
	}
}

func TestKeyboardRingsUpAndPaysExactCash(t *testing.T) {
	h := newHarness(t)
	test.TypeOnCanvas(h.win.Canvas(), "2505")
	h.key(fyne.KeyBackspace)
	if h.till.register.Entry() != 250 {
		t.Fatalf("entry after backspace = %d", h.till.register.Entry())
	}
	h.tap("Bar\n22%")
	h.key(fyne.KeyReturn) // PAGA
	if h.till.current != h.till.payment {
		t.Fatal("Enter did not open the payment screen")
	}
	h.key(fyne.KeyEscape)
	if h.till.current != h.till.sale || len(h.till.register.Sale().Lines) != 1 {
		t.Fatal("Esc did not go back keeping the sale")
	}
	h.key(fyne.KeyReturn)
	h.key(fyne.KeyReturn) // chooses cash
	h.key(fyne.KeyReturn) // confirms the exact amount
	if h.till.current != h.till.sale || h.journal() != 1 {
		t.Fatalf("screen %T journal %d: %q", h.till.current, h.journal(), h.till.payment.message.Text)
	}
}

func TestPrinterOutOfPaperKeepsSalePendingUntilRetry(t *testing.T) {
	h := newHarness(t)
	printer := h.boot.Printer.(*memprinter.Printer)
	h.tap("Caffè\n1,20", "PAGA", "Contanti")
	printer.SetFault(&fiscal.Error{Kind: fiscal.ErrNotReady, Code: "EPTR_REC_EMPTY"})
	h.tap("CONFERMA")
	if h.till.current != h.till.payment || !strings.Contains(h.till.payment.message.Text, "Carta esaurita") && strings.Contains(h.till.payment.message.Text, "vendita è salvata") {
		t.Fatalf("paper out: %T %q", h.till.current, h.till.payment.message.Text)
	}
	if h.till.payment.confirm.Disabled() {
		t.Fatal("confirm stays disabled after the failure")
	}
	printer.SetFault(nil)
	h.tap("CONFERMA")
	if h.till.current != h.till.sale || len(printer.Documents()) != 1 || h.journal() != 1 {
		t.Fatalf("retry: %T printed %d journal %d", h.till.current, len(printer.Documents()), h.journal())
	}
}

func TestJournalListsTodaysSalesWithTotals(t *testing.T) {
	h := newHarness(t)
	h.tap("Caffè\n1,20", "PAGA", "Contanti", "CONFERMA")
	h.tap("1", "2", "0", "0", "Cucina\n10%", "PAGA", "Contanti", "CONFERMA")
	h.tap("Giornale")
	if h.till.current != h.till.journal || len(h.till.journal.entries) != 2 {
		t.Fatalf("journal: %T %d entries", h.till.current, len(h.till.journal.entries))
	}
	first := h.till.journal.list.Rows[0]
	if !strings.Contains(first.Left(), "0001-0002") || !strings.Contains(first.Left(), "Contanti") || first.Right() != "12,00" {
		t.Fatalf("newest row = %q %q", first.Left(), first.Right())
	}
	totals := h.till.journal.totals.Text
	for _, want := range []string{"Vendite: 2", "TOTALE: 13,20 €", "Contanti", "13,20", "Bar", "1,20", "Cucina", "12,00"} {
		if !strings.Contains(totals, want) {
			t.Errorf("totals lack %q:\n%s", want, totals)
		}
	}
	h.key(fyne.KeyEscape)
	if h.till.current != h.till.sale {
		t.Fatal("Esc did not leave the journal")
	}
}

func TestEnglishWhenTheSystemIsEnglish(t *testing.T) {
	t.Cleanup(func() {
		os.Setenv("LANG", "it_IT.UTF-8")
		LoadTranslations()
	})
	os.Setenv("LANG", "en_GB.UTF-8")
	if err := LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	if got := tr("pay"); got != "PAY" {
		t.Fatalf("pay = %q in English", got)
	}
	os.Setenv("LANG", "de_DE.UTF-8")
	LoadTranslations()
	if got := tr("pay"); got != "PAGA" {
		t.Fatalf("pay = %q for a German system, want the Italian default", got)
	}
	if got := tr("doc.invoice"); got != "Fattura" {
		t.Fatalf("doc.invoice = %q for a German system: texts of the other files must be Italian too", got)
	}
}

func TestScreenshotsWriteEveryScreenAndDialogAtTheSizeAsked(t *testing.T) {
	b, err := boot.Open(context.Background(), filepath.Join(t.TempDir(), "shots.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	stop, err := b.StartDemoTerminals(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	dir := t.TempDir()
	size := fyne.NewSize(1280, 800)
	files, err := Screenshots(dir, size, Deps{Store: b.DB, DB: b.DB, Devices: b, Customers: b.DB, Configs: b.DB, Seller: checkout.DemoSeller(),
		Checkout: b.Checkout, NewID: storage.NewID, Title: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	// Every screen and every dialog, under the names the README links to and new ones.
	want := "sale.png help.png discount.png clear-sale.png pin.png payment.png payment-invoice.png customer.png payment-customer.png unknown.png hand.png " +
		"cancel-reverse.png print-check.png payment-coverflex.png pos-prompt.png exchange.png declined.png journal.png journal-day.png " +
		"journal-sale.png refund.png close-start.png close-z.png close.png catalogue.png settings.png"
	if strings.Join(names, " ") != want {
		t.Fatalf("files = %v, want %s", names, want)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil || len(data) < 10000 || string(data[1:4]) != "PNG" {
			t.Fatalf("%s: %d bytes, %v", f, len(data), err)
		}
		// At the size asked for (--size), not the default.
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width != int(size.Width) || cfg.Height != int(size.Height) {
			t.Fatalf("%s: %dx%d, want %v (%v)", f, cfg.Width, cfg.Height, size, err)
		}
	}
	if n, _ := b.DB.Journal(context.Background(), time.Now()); len(n) != 2 {
		t.Fatalf("screenshots recorded %d sales, want 2", len(n))
	}
}

func TestCancellingASaleThatFailedToPrintDiscardsItsPendingRecord(t *testing.T) {
	h := newHarness(t)
	printer := h.boot.Printer.(*memprinter.Printer)
	printer.SetFault(&fiscal.Error{Kind: fiscal.ErrNotReady, Code: "EPTR_REC_EMPTY"})
	h.tap("Caffè\n1,20", "PAGA", "Contanti", "CONFERMA")
	if h.journal() != 1 {
		t.Fatalf("the failed sale was not saved as pending: journal %d", h.journal())
	}
	h.tap("Indietro")
	h.till.sale.clearSale()
	h.till.WaitIdle()
	if h.journal() != 0 || len(h.till.register.Sale().Lines) != 0 {
		t.Fatalf("after cancelling: journal %d lines %d", h.journal(), len(h.till.register.Sale().Lines))
	}
	var n int
	h.boot.DB.SQL().QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'discard_pending_sale'`).Scan(&n)
	if n != 1 {
		t.Fatalf("audit entries = %d", n)
	}
}

func TestPrintOutcomeUnknownBlocksReprintAndKeepsTheSale(t *testing.T) {
	h := newHarness(t)
	printer := h.boot.Printer.(*memprinter.Printer)
	printer.SetFault(&fiscal.Error{Kind: fiscal.ErrOutcomeUnknown, Code: "LAN_TIME_OUT"})
	h.tap("Caffè\n1,20", "PAGA", "Contanti", "CONFERMA")
	if !h.till.payment.confirm.Disabled() || !strings.Contains(h.till.payment.message.Text, "non ristampare") {
		t.Fatalf("confirm enabled after an unknown outcome: %q", h.till.payment.message.Text)
	}
	if !h.dialogOpen() || h.till.check == nil {
		t.Fatal("the cashier is not asked what the paper says")
	}
	h.tap("Più tardi")
	if h.dialogOpen() || !h.till.payment.confirm.Disabled() || len(printer.Documents()) != 0 {
		t.Fatal("putting the question off enabled printing again")
	}
	h.tap("Indietro")
	h.till.sale.clearSale()
	h.till.WaitIdle()
	if h.journal() != 1 || !strings.Contains(h.till.sale.message.Text, "IN SOSPESO") {
		t.Fatalf("journal %d message %q", h.journal(), h.till.sale.message.Text)
	}
}

func TestPendingSalesAreAnnouncedAtStart(t *testing.T) {
	h := newHarness(t)
	h.boot.Printer.(*memprinter.Printer).SetFault(&fiscal.Error{Kind: fiscal.ErrNotReady})
	h.tap("Caffè\n1,20", "PAGA", "Contanti", "CONFERMA")
	w := test.NewWindow(nil)
	again := New(w, Deps{Store: h.boot.DB, Checkout: h.boot.Checkout, NewID: storage.NewID, Headless: true})
	again.WaitIdle()
	if !strings.Contains(again.sale.message.Text, "1 vendita in sospeso") {
		t.Fatalf("message at start = %q", again.sale.message.Text)
	}
}

func TestEveryTextHasItalianAndEnglish(t *testing.T) {
	// Every [prefix.]LANG.json in the folder, as fyne's lang loads them.
	read := func(lang string) map[string]string {
		files, _ := filepath.Glob("../../assets/translations/*" + lang + ".json")
		m := map[string]string{}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			part := map[string]string{}
			if err := json.Unmarshal(data, &part); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			for k, v := range part {
				if _, dup := m[k]; dup {
					t.Errorf("%s: %q is defined twice", f, k)
				}
				m[k] = v
			}
		}
		return m
	}
	it, en := read("it"), read("en")
	for k := range it {
		if en[k] == "" {
			t.Errorf("%q has no English text", k)
		}
	}
	for k := range en {
		if it[k] == "" {
			t.Errorf("%q has no Italian text", k)
		}
	}
	files, _ := filepath.Glob("*.go")
	used := regexp.MustCompile(`\btr\("([a-z.]*[a-z])"`)
	plural := regexp.MustCompile(`\btrn\("([a-z.]*[a-z])"`)
	for _, f := range files {
		src, _ := os.ReadFile(f)
		for _, m := range used.FindAllStringSubmatch(string(src), -1) {
			if it[m[1]] == "" {
				t.Errorf("%s uses %q, which has no translation", f, m[1])
			}
		}
		for _, m := range plural.FindAllStringSubmatch(string(src), -1) {
			for _, form := range []string{".one", ".other"} {
				if it[m[1]+form] == "" {
					t.Errorf("%s uses %q, which has no translation", f, m[1]+form)
				}
			}
		}
	}
	for _, method := range []string{"cash", "card", "coverflex"} {
		if it["method."+method] == "" {
			t.Errorf("method.%s missing", method)
		}
	}
}
