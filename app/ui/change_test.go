package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	fynetheme "fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"till/fiscal"
	"till/money"
)

// cashSale sells a coffee for cash with 5 € tendered: 3,80 € change.
func (h *harness) cashSale() {
	h.t.Helper()
	h.tap("Caffè\n1,20", "PAGA", "Contanti", "5,00 €", "CONFERMA")
	if h.till.current != h.till.sale {
		h.t.Fatalf("cash sale: on %T %q", h.till.current, h.till.payment.message.Text)
	}
}

// The change was only a small line under the screen: it is shown large after a cash sale and
// goes away with the cashier's next key or tap.
func TestChangeShownLargeUntilTheNextKeyOrTap(t *testing.T) {
	h := newHarness(t)
	h.cashSale()
	if got := h.till.sale.changeShown(); got != "3,80 €" {
		t.Fatalf("change shown %q, want 3,80 €", got)
	}
	if h.till.sale.changeText.TextSize <= Theme().Size(fynetheme.SizeNameHeadingText) {
		t.Fatalf("the change is not large: %v", h.till.sale.changeText.TextSize)
	}
	h.key(fyne.KeyBackspace)
	if got := h.till.sale.changeShown(); got != "" {
		t.Fatalf("a key left the change on screen: %q", got)
	}

	h.cashSale()
	test.TypeOnCanvas(h.win.Canvas(), "1")
	if got := h.till.sale.changeShown(); got != "" || h.till.register.Entry() != 1 {
		t.Fatalf("a typed digit left the change %q or was lost (entry %d)", got, h.till.register.Entry())
	}
	h.tap("C")

	h.cashSale()
	h.tap("2")
	if got := h.till.sale.changeShown(); got != "" {
		t.Fatalf("a tap on the keypad left the change on screen: %q", got)
	}
	h.tap("C")

	h.cashSale()
	test.Tap(findTapArea(h.till.sale.changeBox))
	if got := h.till.sale.changeShown(); got != "" {
		t.Fatalf("a tap on the change left it on screen: %q", got)
	}

	// An exact payment has no change: nothing large to read.
	h.tap("Caffè\n1,20", "PAGA", "Contanti", "CONFERMA")
	if got := h.till.sale.changeShown(); got != "" {
		t.Fatalf("change shown for an exact payment: %q", got)
	}
}

func findTapArea(o fyne.CanvasObject) *tapArea {
	switch v := o.(type) {
	case *tapArea:
		return v
	case *fyne.Container:
		for _, c := range v.Objects {
			if a := findTapArea(c); a != nil {
				return a
			}
		}
	}
	return nil
}

// An amount typed before PAGA was silently dropped: it becomes the cash tendered.
func TestAmountTypedBeforePayIsTheCashTendered(t *testing.T) {
	h := newHarness(t)
	h.tap("Caffè\n1,20", "2", "0", "0", "0", "PAGA")
	p := h.till.payment
	if h.till.current != p || p.method != fiscal.Cash || p.tenderedAmount() != 2000 {
		t.Fatalf("on %T method %q tendered %d", h.till.current, p.method, p.tenderedAmount())
	}
	if p.tendered.Text != "20,00 €" || p.change.Text != "18,80 €" || !strings.Contains(p.message.Text, "20,00€") {
		t.Fatalf("tendered %q change %q message %q", p.tendered.Text, p.change.Text, p.message.Text)
	}
	h.tap("CONFERMA")
	if got := h.till.sale.changeShown(); got != "18,80 €" {
		t.Fatalf("change %q", got)
	}

	// With no line, PAGA says what to do with the amount and keeps it on the display.
	h.tap("5", "0", "0", "PAGA")
	if h.till.current != h.till.sale || h.till.register.Entry() != 500 || !strings.Contains(h.till.sale.message.Text, "5,00€") ||
		!strings.Contains(h.till.sale.message.Text, "reparto") {
		t.Fatalf("on %T entry %d message %q", h.till.current, h.till.register.Entry(), h.till.sale.message.Text)
	}
}

// "1,20 €" wrapped and left "€" alone at the start of a line: on screen the sign stays with
// its amount, whatever the width; the printer's and the CLIs' format is unchanged.
func TestEuroSignNeverWrapsAlone(t *testing.T) {
	h := newHarness(t)
	text := "Scontrino 0001-0001 emesso, totale 1,20 € · Resto 3,80 € · Coverflex 12,00 € in attesa"
	for _, width := range []float32{90, 110, 130, 150, 170, 200, 260} {
		h.till.sale.setMessage(text, false)
		l := h.till.sale.message
		l.Resize(fyne.NewSize(width, 400))
		for _, row := range labelRows(l) {
			if strings.HasPrefix(strings.TrimSpace(row), "€") {
				t.Fatalf("width %v: a row starts with the euro sign: %q (rows %q)", width, row, labelRows(l))
			}
		}
	}
	if money.Cents(120).String() != "1,20 €" {
		t.Fatal("the format of printed and exported amounts changed")
	}
}

// labelRows is the text of each row a wrapping label draws.
func labelRows(l *widget.Label) []string {
	var rows []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *canvas.Text:
			rows = append(rows, v.Text)
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(l)
	return rows
}
