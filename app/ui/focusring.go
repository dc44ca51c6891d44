package ui

import (
	"context"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// colorFocusRing draws the ring around what has the keyboard: 12:1 on the white background
// the ring lies on, whatever the colour of the button it surrounds.
var colorFocusRing = color.NRGBA{R: 0x31, G: 0x1b, B: 0x92, A: 0xff} // deep purple 900

// focusRingWidth is the ring's stroke; focusRingGap how far outside the widget it is drawn.
const (
	focusRingWidth float32 = 3
	focusRingGap   float32 = 3
)

// focusEvery is how often the till looks where the focus is: Fyne has no hook for focus
// changes (Tab moves it inside the driver), and a ring a tenth of a second late is still
// where the cashier looks.
const focusEvery = 150 * time.Millisecond

// focusRing draws a ring around the widget that has the keyboard focus over its content. Fyne
// marks a focused button only with a tint of its background, which on the till's dark
// coloured buttons changes little (1.6:1): a cashier moving with Tab could not tell where
// Enter or Space would land.
type focusRing struct {
	content fyne.CanvasObject
	ring    *canvas.Rectangle
	layer   *fyne.Container // no layout: the ring and the proxy are placed by hand
	root    fyne.CanvasObject
	// proxy holds the keyboard for the screen or dialog; target is the button Tab moved to,
	// which Enter or Space presses (nil: none).
	proxy  *keyProxy
	target fyne.CanvasObject
}

// newFocusRing lays a ring layer over content; root is what to show in content's place. The
// ring is a plain rectangle: taps go through it to the widgets below.
func newFocusRing(t *Till, content fyne.CanvasObject) *focusRing {
	r := &focusRing{content: content, ring: canvas.NewRectangle(color.Transparent)}
	r.ring.StrokeColor = colorFocusRing
	r.ring.StrokeWidth = focusRingWidth
	r.ring.Hide()
	r.proxy = newKeyProxy(t, r)
	r.layer = container.NewWithoutLayout(r.ring, r.proxy)
	r.root = container.NewStack(content, r.layer)
	return r
}

// follow puts the ring around obj, or hides it when obj is nil.
func (r *focusRing) follow(obj fyne.CanvasObject) {
	if obj == nil || !obj.Visible() {
		if r.ring.Visible() {
			r.ring.Hide()
			r.layer.Refresh()
		}
		return
	}
	d := fyne.CurrentApp().Driver()
	pos := d.AbsolutePositionForObject(obj).Subtract(d.AbsolutePositionForObject(r.layer)).
		SubtractXY(focusRingGap, focusRingGap)
	size := obj.Size().AddWidthHeight(2*focusRingGap, 2*focusRingGap)
	if r.ring.Visible() && r.ring.Position() == pos && r.ring.Size() == size {
		return
	}
	r.ring.Move(pos)
	r.ring.Resize(size)
	r.ring.Show()
	r.layer.Refresh()
}

// followFocus keeps the keyboard on the till and the ring on what it acts on. A text field with
// the focus keeps it (the ring goes round it). Anything else Fyne focused by itself (Tab pressed
// before the proxy had the keyboard) becomes the proxy's target and the proxy takes the
// keyboard back, so a focused button never swallows the keypad's digits. With nothing focused
// the proxy takes the keyboard. The active ring is the top dialog's, else the screen's; the
// others hide. Runs on the UI goroutine.
func (t *Till) followFocus() {
	active := t.ring
	if top := t.topModal(); top != nil && top.ring != nil {
		active = top.ring
	}
	if t.ring != nil && t.ring != active {
		t.ring.follow(nil)
	}
	for _, m := range t.modals {
		if m.ring != nil && m.ring != active {
			m.ring.follow(nil)
		}
	}
	if active == nil {
		return
	}
	c := t.win.Canvas()
	switch f := c.Focused().(type) {
	case nil:
		c.Focus(active.proxy)
	case *keyProxy:
		if f != active.proxy {
			c.Focus(active.proxy)
		}
	case fyne.Shortcutable: // a text field: it takes the keys typed
		if o, ok := f.(fyne.CanvasObject); ok {
			active.follow(o)
		}
		return
	default:
		if o, ok := f.(fyne.CanvasObject); ok {
			active.target = o
		}
		c.Focus(active.proxy)
	}
	active.follow(active.target)
}

// watchFocus calls followFocus every focusEvery until ctx ends (Till.Close). It returns a
// channel closed when its goroutine has returned.
func (t *Till) watchFocus(ctx context.Context) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(focusEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				t.bridge.post(t.followFocus)
			}
		}
	}()
	return done
}

// keyProxy holds the keyboard of a screen or a dialog when no text field has it: it gives every
// key to the till as the window would (Till.typedKey/typedRune), except Tab, which it keeps
// (AcceptsTab) to move the ring over the buttons itself. Fyne would instead move its own focus
// to a button, which then swallows every digit and F-key: a cashier who hit Tab found the keypad
// dead until a tap.
type keyProxy struct {
	widget.BaseWidget
	t    *Till
	ring *focusRing
}

func newKeyProxy(t *Till, r *focusRing) *keyProxy {
	p := &keyProxy{t: t, ring: r}
	p.ExtendBaseWidget(p)
	return p
}

func (p *keyProxy) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewWithoutLayout())
}

func (p *keyProxy) FocusGained()     {}
func (p *keyProxy) FocusLost()       {}
func (p *keyProxy) AcceptsTab() bool { return true }

// TypedRune gives the character to the till, or presses the ring's button on a space.
func (p *keyProxy) TypedRune(r rune) {
	if r == ' ' && p.ring.target != nil {
		return // the Space key already pressed the ring's button (TypedKey)
	}
	p.t.typedRune(r)
}

// TypedKey moves the ring on Tab, presses its button on Enter or Space, drops it on Esc, and
// gives every other key to the till.
func (p *keyProxy) TypedKey(k *fyne.KeyEvent) {
	switch {
	case k.Name == fyne.KeyTab:
		p.ring.next(p.t.win.Canvas(), 1)
	case k.Name == fyne.KeySpace && p.ring.target != nil:
		// Only Space: Enter keeps its meaning on every screen (PAGA, a scanned code, a form's
		// confirmation) and must never press a ringed Storna.
		p.press()
	case k.Name == fyne.KeyEscape && p.ring.target != nil:
		p.ring.target = nil
		p.ring.follow(nil)
	case k.Name == fyne.KeySpace:
		// a space is a rune too: TypedRune has it
	default:
		p.t.typedKey(k.Name)
	}
}

// TypedShortcut takes Shift+Tab, which moves the ring back.
func (p *keyProxy) TypedShortcut(s fyne.Shortcut) {
	if cs, ok := s.(*desktop.CustomShortcut); ok && cs.KeyName == fyne.KeyTab && cs.Modifier == fyne.KeyModifierShift {
		p.ring.next(p.t.win.Canvas(), -1)
	}
}

// press taps the ring's button, as a finger would.
func (p *keyProxy) press() {
	target := p.ring.target
	if tp, ok := target.(fyne.Tappable); ok && target.Visible() {
		tp.Tapped(&fyne.PointEvent{})
	}
}

// next moves the ring to the next (dir 1) or previous (-1) button or field, in Fyne's own
// focus order: Fyne moves its focus from the ring's button, the till takes the keyboard back and
// keeps the button as the ring's. A text field keeps the focus: it types what follows.
func (r *focusRing) next(c fyne.Canvas, dir int) {
	if f, ok := r.target.(fyne.Focusable); ok && r.target.Visible() {
		c.Focus(f)
	}
	for range 2 { // the proxy itself is in the order: step over it
		if dir < 0 {
			c.FocusPrevious()
		} else {
			c.FocusNext()
		}
		if c.Focused() != fyne.Focusable(r.proxy) {
			break
		}
	}
	f := c.Focused()
	if _, text := f.(fyne.Shortcutable); text || f == nil {
		r.target = nil
		if f == nil {
			c.Focus(r.proxy)
		}
		r.follow(nil)
		return
	}
	r.target, _ = f.(fyne.CanvasObject)
	c.Focus(r.proxy)
	r.follow(r.target)
}
