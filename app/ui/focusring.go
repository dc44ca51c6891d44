package ui

import (
	"context"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// colorFocusRing draws the ring around what has the keyboard: 13:1 on the white background
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
	ring  *canvas.Rectangle
	layer *fyne.Container // no layout: the ring is placed by follow
	root  fyne.CanvasObject
}

// newFocusRing lays a ring layer over content; root is what to show in content's place. The
// ring is a plain rectangle: taps go through it to the widgets below.
func newFocusRing(content fyne.CanvasObject) *focusRing {
	r := &focusRing{ring: canvas.NewRectangle(color.Transparent)}
	r.ring.StrokeColor = colorFocusRing
	r.ring.StrokeWidth = focusRingWidth
	r.ring.Hide()
	r.layer = container.NewWithoutLayout(r.ring)
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

// followFocus moves the rings to the focused widget: the ring of the dialog on top when one is
// open (the screen's and the dialogs' below hide theirs), else the screen's. Runs on the UI
// goroutine.
func (t *Till) followFocus() {
	var obj fyne.CanvasObject
	if f, ok := t.win.Canvas().Focused().(fyne.CanvasObject); ok {
		obj = f
	}
	top := t.topModal()
	for _, m := range t.modals {
		if m != top && m.ring != nil {
			m.ring.follow(nil)
		}
	}
	if top != nil && top.ring != nil {
		t.ring.follow(nil)
		top.ring.follow(obj)
		return
	}
	if t.ring != nil {
		t.ring.follow(obj)
	}
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
