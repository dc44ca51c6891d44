package widget

import (
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

// A screen that asks for more than the window gets the window, and the window does not grow.
func TestCappedNeverAsksForMoreThanTheWindow(t *testing.T) {
	a := test.NewApp()
	defer a.Quit()
	window := fyne.NewSize(1024, 720)
	screen := canvas.NewRectangle(color.Black)
	screen.SetMinSize(fyne.NewSize(800, 600))
	room := window
	c := Capped(screen, func() fyne.Size { return room })
	if got := c.MinSize(); got != fyne.NewSize(800, 600) {
		t.Fatalf("a screen that fits: min %v, want its own", got)
	}
	screen.SetMinSize(fyne.NewSize(1100, 733)) // a two-line message, a wider keypad
	if got := c.MinSize(); got != window {
		t.Fatalf("a screen too big: min %v, want the window's %v", got, window)
	}
	w := test.NewWindow(c)
	defer w.Close()
	w.SetPadded(false)
	w.Resize(window)
	c.Refresh()
	if got := w.Canvas().Size(); got != window {
		t.Fatalf("window %v, want %v", got, window)
	}
	if got := screen.Size(); got != window {
		t.Fatalf("the screen is laid out in %v, want the window's %v", got, window)
	}
	// A smaller screen (the window made full screen on a 1024×600 monitor): the cap follows.
	room = fyne.NewSize(1024, 600)
	if got := c.MinSize(); got != room {
		t.Fatalf("after the window shrank: min %v, want %v", got, room)
	}
}
