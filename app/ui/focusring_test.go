package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// typeOnKeyboard sends a key as the desktop driver does: to the focused object, else to the
// window.
func typeOnKeyboard(h *harness, k fyne.KeyName) {
	h.t.Helper()
	c := h.win.Canvas()
	if tb, ok := c.Focused().(fyne.Tabbable); k == fyne.KeyTab && (!ok || !tb.AcceptsTab()) {
		c.FocusNext() // the driver moves its focus itself; the till's watch then looks
		h.till.followFocus()
		return
	}
	if f := c.Focused(); f != nil {
		f.TypedKey(&fyne.KeyEvent{Name: k})
	} else {
		h.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: k})
	}
	h.till.WaitIdle()
}

func typeRuneOnKeyboard(h *harness, r rune) {
	if f := h.win.Canvas().Focused(); f != nil {
		f.TypedRune(r)
	} else {
		h.win.Canvas().OnTypedRune()(r)
	}
	h.till.WaitIdle()
}

// TestTabMovesARingAndTheKeypadStillWorks: Tab moves a ring over the buttons (Fyne only tints
// a focused button, which barely shows on the dark ones); the digits and F-keys still reach the
// keypad while the ring is on a button (a focused Fyne button swallowed them: the keypad went
// dead after a Tab); Enter presses the ring's button; Esc drops the ring.
func TestTabMovesARingAndTheKeypadStillWorks(t *testing.T) {
	h := newHarness(t)
	c := h.win.Canvas()
	h.till.followFocus()
	if _, ok := c.Focused().(*keyProxy); !ok {
		t.Fatalf("the till does not hold the keyboard: %T", c.Focused())
	}
	ring := h.till.ring.ring
	if ring.Visible() {
		t.Fatal("a ring before any Tab")
	}
	pay := h.button("PAGA").(*widget.Button)
	for range 200 {
		if h.till.ring.target == fyne.CanvasObject(pay) {
			break
		}
		typeOnKeyboard(h, fyne.KeyTab)
	}
	if h.till.ring.target != fyne.CanvasObject(pay) || !ring.Visible() {
		t.Fatalf("Tab never reached PAGA: target %T, ring %v", h.till.ring.target, ring.Visible())
	}
	if _, ok := c.Focused().(*keyProxy); !ok {
		t.Fatalf("after Tab the keyboard is on %T, not the till", c.Focused())
	}
	d := fyne.CurrentApp().Driver()
	at := d.AbsolutePositionForObject(ring)
	want := d.AbsolutePositionForObject(pay)
	if at.X > want.X-focusRingGap+0.5 || at.Y > want.Y-focusRingGap+0.5 ||
		at.X+ring.Size().Width < want.X+pay.Size().Width+focusRingGap-0.5 ||
		at.Y+ring.Size().Height < want.Y+pay.Size().Height+focusRingGap-0.5 {
		t.Fatalf("ring at %v %v does not surround PAGA at %v %v", at, ring.Size(), want, pay.Size())
	}
	// The keypad and the departments' keys still work with the ring on PAGA.
	typeRuneOnKeyboard(h, '2')
	typeRuneOnKeyboard(h, '5')
	typeRuneOnKeyboard(h, '0')
	typeOnKeyboard(h, fyne.KeyF1)
	if lines := h.till.Register().Sale().Lines; len(lines) != 1 || lines[0].UnitPrice != 250 {
		t.Fatalf("digits and F1 with the ring on PAGA: lines %+v", lines)
	}
	typeOnKeyboard(h, fyne.KeySpace) // presses PAGA, the ring's button
	if h.till.current != h.till.payment {
		t.Fatal("Space on the ring's PAGA did not open the payment")
	}
	if ring := h.till.ring; ring.target != nil || ring.ring.Visible() {
		t.Fatal("the new screen kept the old screen's ring")
	}
}

// TestAButtonFocusedByFyneHandsTheKeyboardBack: a button Fyne focused by itself (a Tab before
// the till took the keyboard) becomes the ring's, and the till takes the keys again.
func TestAButtonFocusedByFyneHandsTheKeyboardBack(t *testing.T) {
	h := newHarness(t)
	c := h.win.Canvas()
	storna := h.button("Storna riga").(*widget.Button)
	c.Focus(storna)
	h.till.followFocus()
	if _, ok := c.Focused().(*keyProxy); !ok || h.till.ring.target != fyne.CanvasObject(storna) || !h.till.ring.ring.Visible() {
		t.Fatalf("focused %T, target %T, ring %v", c.Focused(), h.till.ring.target, h.till.ring.ring.Visible())
	}
	typeRuneOnKeyboard(h, '7')
	if !strings.Contains(h.till.sale.display.Text, "0,07") {
		t.Fatalf("display %q after 7", h.till.sale.display.Text)
	}
	typeOnKeyboard(h, fyne.KeyEscape)
	if h.till.ring.target != nil || h.till.ring.ring.Visible() {
		t.Fatal("Esc did not drop the ring")
	}
}

// TestADialogHasItsOwnRing: in a dialog Tab moves the dialog's ring (the screen's hides), Esc
// drops it, the next Esc closes the dialog.
func TestADialogHasItsOwnRing(t *testing.T) {
	h := newHarness(t)
	c := h.win.Canvas()
	h.till.sale.digit("1")
	h.till.sale.deptTapped(0) // a line, so that Annulla vendita asks
	h.till.followFocus()
	typeOnKeyboard(h, fyne.KeyTab)
	h.till.sale.confirmClear()
	m := h.till.topModal()
	if m == nil || m.ring == nil {
		t.Fatal("the dialog has no ring of its own")
	}
	h.till.followFocus()
	if p, ok := c.Focused().(*keyProxy); !ok || p != m.ring.proxy {
		t.Fatalf("the dialog's keyboard is on %T", c.Focused())
	}
	typeOnKeyboard(h, fyne.KeyTab)
	h.till.followFocus()
	if h.till.ring.ring.Visible() || !m.ring.ring.Visible() || m.ring.target == nil {
		t.Fatalf("with Tab in the dialog: screen ring %v, dialog ring %v", h.till.ring.ring.Visible(), m.ring.ring.Visible())
	}
	typeOnKeyboard(h, fyne.KeyEscape)
	if m.ring.ring.Visible() || !m.isOpen() {
		t.Fatalf("first Esc: ring %v, dialog open %v", m.ring.ring.Visible(), m.isOpen())
	}
	typeOnKeyboard(h, fyne.KeyEscape)
	if m.isOpen() || len(h.till.Register().Sale().Lines) != 1 {
		t.Fatalf("second Esc: dialog open %v, lines %d", m.isOpen(), len(h.till.Register().Sale().Lines))
	}
}

// TestTheFocusRingStandsOutFromTheBackground: the ring lies on the background around the
// widget, so it is its contrast there that counts (WCAG 2.2 focus appearance asks 3:1).
func TestTheFocusRingStandsOutFromTheBackground(t *testing.T) {
	th := Theme()
	bg := th.Color("background", 0)
	if r := contrast(colorFocusRing, bg); r < 3 {
		t.Fatalf("focus ring on the background: %.2f:1, want ≥ 3:1", r)
	}
	if focusRingWidth < 2 {
		t.Fatalf("focus ring %v px wide, want at least 2", focusRingWidth)
	}
}

// TestEscLeavesAFieldThenTheScreen: Esc typed in the journal's day field leaves the field,
// keeping what was typed; the next Esc goes back to the sale, as on every screen.
func TestEscLeavesAFieldThenTheScreen(t *testing.T) {
	h := newHarness(t)
	h.till.openJournal()
	h.till.WaitIdle()
	j := h.till.journal
	c := h.win.Canvas()
	c.Focus(j.dayField)
	j.dayField.SetText("2026-1")
	j.dayField.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if c.Focused() != nil || j.dayField.Text != "2026-1" || h.till.current != h.till.journal {
		t.Fatalf("after Esc in the field: focused %v, text %q, journal shown %v", c.Focused(), j.dayField.Text, h.till.current == h.till.journal)
	}
	h.key(fyne.KeyEscape)
	if h.till.current != h.till.sale {
		t.Fatal("the second Esc did not go back to the sale")
	}
}
