package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// TestTheFocusedButtonHasAVisibleRing: Tab moves the keyboard to a button and a ring is drawn
// around it (Fyne only tints a focused button, which barely shows on the dark ones); in a
// dialog the dialog's ring shows and the screen's hides; with no focus no ring is drawn.
func TestTheFocusedButtonHasAVisibleRing(t *testing.T) {
	h := newHarness(t)
	c := h.win.Canvas()
	pay := h.button("PAGA").(*widget.Button)
	c.Focus(pay)
	h.till.followFocus()
	ring := h.till.ring.ring
	if !ring.Visible() {
		t.Fatal("no ring around the focused PAGA")
	}
	d := fyne.CurrentApp().Driver()
	at := d.AbsolutePositionForObject(ring)
	want := d.AbsolutePositionForObject(pay)
	if at.X > want.X-focusRingGap+0.5 || at.Y > want.Y-focusRingGap+0.5 ||
		at.X+ring.Size().Width < want.X+pay.Size().Width+focusRingGap-0.5 ||
		at.Y+ring.Size().Height < want.Y+pay.Size().Height+focusRingGap-0.5 {
		t.Fatalf("ring at %v %v does not surround PAGA at %v %v", at, ring.Size(), want, pay.Size())
	}

	h.till.sale.digit("1")
	h.till.sale.deptTapped(0) // a line, so that Annulla vendita asks
	h.till.sale.confirmClear()
	m := h.till.topModal()
	if m == nil || m.ring == nil {
		t.Fatal("the dialog has no ring of its own")
	}
	no := findButton(h.top(), "No").(*widget.Button)
	c.Focus(no)
	h.till.followFocus()
	if ring.Visible() || !m.ring.ring.Visible() {
		t.Fatalf("with the dialog's No focused: screen ring %v, dialog ring %v", ring.Visible(), m.ring.ring.Visible())
	}
	c.Unfocus() // the dialog's keys go to the dialog, not to a focused button
	h.key(fyne.KeyEscape)
	h.till.followFocus()
	// Closing the dialog gives the keyboard back to what had it on the screen: PAGA.
	if h.till.topModal() != nil || c.Focused() != pay || !ring.Visible() {
		t.Fatalf("after Esc: dialog open %v, focused %v, ring %v", h.till.topModal() != nil, c.Focused(), ring.Visible())
	}
	c.Unfocus()
	h.till.followFocus()
	if ring.Visible() {
		t.Fatal("a ring with nothing focused")
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
