package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"till/app/checkout"
)

func TestLineDiscountInPercentShowsUnderTheLine(t *testing.T) {
	h := newHarness(t)
	h.tap("3", "X", "Caffè\n1,20", "Cappuccino\n1,60")
	h.till.sale.selectLine(0) // the coffees
	h.tap("Sconto riga")
	if !h.dialogOpen() || h.till.sale.discount == nil || h.till.sale.discount.line != 0 {
		t.Fatal("Sconto riga opened no dialog on the selected line")
	}
	h.tap("1", "0")
	if got := h.till.sale.discount.display.Text; got != "10 %" {
		t.Fatalf("display %q", got)
	}
	h.tap("Applica")
	sale := h.till.register.Sale()
	if h.dialogOpen() || sale.Lines[0].Discount != (checkout.Discount{Percent: 1000}) || sale.Total() != 360-36+160 {
		t.Fatalf("after 10%%: dialog %v, lines %+v, total %d", h.dialogOpen(), sale.Lines, sale.Total())
	}
	rows := h.till.sale.lines.Rows
	if !strings.Contains(rows[0].Left(), "3 × 1,20") || rows[0].Right() != "3,60" ||
		!strings.Contains(rows[1].Left(), "Sconto 10%") || rows[1].Right() != "−0,36" ||
		!strings.Contains(rows[2].Left(), "2. Cappuccino") {
		t.Fatalf("rows: %q %q / %q %q / %q", rows[0].Left(), rows[0].Right(), rows[1].Left(), rows[1].Right(), rows[2].Left())
	}
	if h.till.sale.total.Text != "4,84 €" {
		t.Fatalf("total %q", h.till.sale.total.Text)
	}
	// Tapping the discount row selects its line: Storna riga removes the line with its discount.
	h.till.sale.selectLine(1)
	h.tap("Storna riga")
	if sale := h.till.register.Sale(); len(sale.Lines) != 1 || sale.Lines[0].Description != "Cappuccino" {
		t.Fatalf("after voiding the discounted line: %+v", sale.Lines)
	}
}

func TestSaleDiscountInEurosShowsAboveTheTotalAndIsRecorded(t *testing.T) {
	h := newHarness(t)
	h.tap("1", "2", "0", "0", "Cucina\n10%", "Caffè\n1,20")
	if h.till.sale.discRow.Visible() {
		t.Fatal("a sale discount row without a discount")
	}
	h.tap("Sconto vendita", "Importo €", "2", "0", "0")
	if got := h.till.sale.discount.display.Text; got != "2,00 €" {
		t.Fatalf("display %q", got)
	}
	h.tap("Applica")
	if !h.till.sale.discRow.Visible() || !strings.Contains(h.till.sale.discText.Text, "Subtotale 13,20") ||
		h.till.sale.discOff.Text != "−2,00" || h.till.sale.total.Text != "11,20 €" {
		t.Fatalf("discount row %v %q %q total %q", h.till.sale.discRow.Visible(), h.till.sale.discText.Text,
			h.till.sale.discOff.Text, h.till.sale.total.Text)
	}
	id := h.till.register.Sale().ID
	h.tap("PAGA")
	if h.till.payment.due.Text != "11,20 €" {
		t.Fatalf("due %q", h.till.payment.due.Text)
	}
	h.tap("Contanti", "CONFERMA")
	stored, err := h.boot.DB.Sale(context.Background(), id)
	if err != nil || stored.Total != 1120 {
		t.Fatalf("stored total %d, %v", stored.Total, err)
	}
	// Removing it brings the total back.
	h.tap("Caffè\n1,20", "Sconto vendita", "5", "0", "Applica")
	h.tap("Sconto vendita", "Togli sconto")
	if h.till.register.Sale().Discount != (checkout.Discount{}) || h.till.sale.discRow.Visible() || h.till.sale.total.Text != "1,20 €" {
		t.Fatalf("after removing: %+v total %q", h.till.register.Sale().Discount, h.till.sale.total.Text)
	}
}

func TestDiscountOverHalfAsksFirst(t *testing.T) {
	h := newHarness(t)
	h.tap("Cappuccino\n1,60", "Sconto riga", "6", "0", "Applica")
	if !strings.Contains(h.confirmText(), "Sconto oltre il 50 %") {
		t.Fatalf("60%% applied without asking: %+v", h.till.register.Sale().Lines[0].Discount)
	}
	h.tap("No")
	if !h.till.register.Sale().Lines[0].Discount.IsZero() || h.till.sale.discount == nil {
		t.Fatalf("No applied it or closed the dialog: %+v", h.till.register.Sale().Lines[0].Discount)
	}
	h.tap("Applica", "Sì, applica")
	if d := h.till.register.Sale().Lines[0].Discount; d.Percent != 6000 || h.dialogOpen() || h.till.sale.total.Text != "0,64 €" {
		t.Fatalf("after confirming: %+v dialog %v total %q", d, h.dialogOpen(), h.till.sale.total.Text)
	}
	// The keyboard confirms too: Enter on the question.
	h.tap("Sconto vendita")
	h.typeKeys("5")
	h.key(fyne.KeyBackspace)
	h.typeKeys("55\n")
	if h.till.sale.discount == nil || h.till.sale.discount.confirming == nil {
		t.Fatal("55% of the sale did not ask")
	}
	h.key(fyne.KeyReturn)
	if d := h.till.register.Sale().Discount; d.Percent != 5500 || h.dialogOpen() {
		t.Fatalf("Enter on the question: %+v", d)
	}
}

func TestDiscountOutOfRangeIsRefusedInTheDialog(t *testing.T) {
	h := newHarness(t)
	h.tap("Sconto riga")
	if h.dialogOpen() || !strings.Contains(h.till.sale.message.Text, "Aggiungi almeno una riga") {
		t.Fatalf("discount on an empty sale: %q", h.till.sale.message.Text)
	}
	h.tap("Caffè\n1,20", "Sconto riga", "Importo €", "1", "2", "0", "Applica")
	if !h.dialogOpen() || !strings.Contains(h.till.sale.discount.message.Text, "Sconto non valido") ||
		!h.till.register.Sale().Lines[0].Discount.IsZero() {
		t.Fatalf("1,20 off 1,20: message %q, %+v", h.till.sale.discount.message.Text, h.till.register.Sale().Lines[0].Discount)
	}
	h.tap("⌫", "⌫", "⌫", "Applica")
	if !strings.Contains(h.till.sale.discount.message.Text, "Digita lo sconto") {
		t.Fatalf("nothing typed: %q", h.till.sale.discount.message.Text)
	}
	h.key(fyne.KeyEscape)
	if h.dialogOpen() || h.till.sale.discount != nil {
		t.Fatal("Esc did not close the dialog")
	}
	// With the dialog closed the keyboard is the sale's again.
	h.typeKeys("5")
	if h.till.register.Entry() != 5 {
		t.Fatalf("entry %d", h.till.register.Entry())
	}
}

// confirmText is the question the discount dialog asks, if any.
func (h *harness) confirmText() string {
	if d := h.till.sale.discount; d != nil && d.confirming != nil {
		return d.confirmLabel.Text
	}
	return ""
}
