package ui

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	tw "till/app/ui/internal/widget"
)

// screenSizes are the screens the till is laid out for: the smallest touch screen, a common
// 13" one and a full-HD monitor.
var screenSizes = []fyne.Size{{Width: 1024, Height: 768}, {Width: 1280, Height: 800}, {Width: 1920, Height: 1080}}

// placed is an object of the canvas with its position on it.
type placed struct {
	o   fyne.CanvasObject
	pos fyne.Position
	// path names the object and its parents, to say which one is wrong.
	path string
}

// visibleObjects lists what the canvas draws: the content and the overlays (dialogs), object
// by object, with their positions on the canvas. It does not go into what draws its own parts
// from a text (labels, fields) nor into scrolled content, which is meant to be larger than
// what shows of it.
func visibleObjects(c fyne.Canvas) []placed {
	var out []placed
	var walk func(o fyne.CanvasObject, at fyne.Position, path string)
	walk = func(o fyne.CanvasObject, at fyne.Position, path string) {
		if o == nil || !o.Visible() {
			return
		}
		pos := at.Add(o.Position())
		path += "/" + objectName(o)
		out = append(out, placed{o, pos, path})
		switch v := o.(type) {
		case *container.Scroll, *widget.Label, *widget.RichText, *widget.Entry, *widget.List, *widget.GridWrap,
			*widget.Table, *widget.Select, *widget.Check, *widget.Button, *tw.Tile, *widget.Hyperlink:
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c, pos, path)
			}
		case fyne.Widget:
			if isEntry(v) {
				return
			}
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c, pos, path)
			}
		}
	}
	walk(c.Content(), fyne.Position{}, "screen")
	for _, o := range c.Overlays().List() {
		walk(o, fyne.Position{}, "dialog")
	}
	return out
}

// isEntry tells a text field of any kind (the till's own embed widget.Entry).
func isEntry(w fyne.Widget) bool {
	v := reflect.ValueOf(w)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return false
	}
	f := v.FieldByName("Entry")
	return f.IsValid() && f.Type() == reflect.TypeOf(widget.Entry{})
}

func objectName(o fyne.CanvasObject) string {
	name := fmt.Sprintf("%T", o)
	name = name[strings.LastIndex(name, ".")+1:]
	switch v := o.(type) {
	case *widget.Button:
		return fmt.Sprintf("%s %q", name, v.Text)
	case *widget.Label:
		return fmt.Sprintf("%s %q", name, v.Text)
	case *tw.Tile:
		return fmt.Sprintf("%s %q", name, v.Text)
	case *tw.Row:
		return fmt.Sprintf("%s %q", name, v.Left())
	}
	return name
}

// shrinks tells whether o may be laid out smaller than its minimum on purpose: a label that
// wraps or cuts its text.
func shrinks(o fyne.CanvasObject) bool {
	switch v := o.(type) {
	case *widget.Label:
		return v.Wrapping != fyne.TextWrapOff || v.Truncation != fyne.TextTruncateOff
	case *widget.RichText:
		return v.Wrapping != fyne.TextWrapOff || v.Truncation != fyne.TextTruncateOff
	}
	return false
}

// cutOff lists what is wrong with the layout on the canvas: objects that lie outside it, and
// objects laid out smaller than they need (a text cut, a button squeezed).
func cutOff(c fyne.Canvas) []string {
	const slack = 0.5 // rounding
	room := c.Size()
	var bad []string
	for _, p := range visibleObjects(c) {
		size := p.o.Size()
		if size.IsZero() {
			continue
		}
		if p.pos.X < -slack || p.pos.Y < -slack || p.pos.X+size.Width > room.Width+slack || p.pos.Y+size.Height > room.Height+slack {
			bad = append(bad, fmt.Sprintf("%s at %v size %v lies outside the screen %v", p.path, p.pos, size, room))
			continue
		}
		if min := p.o.MinSize(); !shrinks(p.o) && (size.Width+slack < min.Width || size.Height+slack < min.Height) {
			bad = append(bad, fmt.Sprintf("%s is %v, smaller than it needs (%v)", p.path, size, min))
		}
	}
	return bad
}

// harnessAt is a till in a window of the given size.
func harnessAt(t *testing.T, size fyne.Size) *harness {
	t.Helper()
	h := newHarness(t)
	// The demo's terminals, so the payment screen offers Coverflex and its screens show.
	stop, err := h.boot.StartDemoTerminals(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	h.win.Resize(size)
	h.till.show(h.till.current)
	return h
}

// Every screen and every dialog fits the screen at every size the till supports: nothing lies
// outside it, nothing is squeezed below what it needs, and the window keeps its size. (An
// invoice customer once widened the window to 1344 px on a 1280 px screen, cutting CONFERMA
// off; the unknown-outcome message made it 935 px high on an 800 px one.)
func TestEveryScreenFitsEverySize(t *testing.T) {
	for _, size := range screenSizes {
		t.Run(fmt.Sprintf("%vx%v", size.Width, size.Height), func(t *testing.T) {
			h := harnessAt(t, size)
			var seen []string
			err := tour(h.till, func(name string) error {
				seen = append(seen, name)
				settle(h.win.Canvas())
				if got := h.win.Canvas().Size(); got != size {
					t.Errorf("%s at %v: the window became %v", name, size, got)
					h.win.Resize(size)
				}
				for _, p := range cutOff(h.win.Canvas()) {
					t.Errorf("%s at %vx%v: %s", name, size.Width, size.Height, p)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(seen) < 25 {
				t.Fatalf("the tour showed only %d screens and dialogs: %v", len(seen), seen)
			}
		})
	}
}

// cashierViews are the screens and dialogs a cashier taps through on every sale.
var cashierViews = map[string]bool{"sale": true, "help": true, "discount": true, "clear-sale": true, "pin": true,
	"payment": true, "payment-invoice": true, "payment-customer": true, "unknown": true, "hand": true, "cancel-reverse": true,
	"print-check": true, "payment-coverflex": true, "pos-prompt": true, "exchange": true, "declined": true}

// Every button, tile and list row a cashier taps is at least 48 px each way at 1024×768 (the
// payment keypad's keys, Giornale and the dialogs' buttons were 37–43 px).
func TestCashierTargetsAreFingerSized(t *testing.T) {
	const target = 48
	h := harnessAt(t, screenSizes[0])
	checked := 0
	err := tour(h.till, func(name string) error {
		if !cashierViews[name] {
			return nil
		}
		checked++
		settle(h.win.Canvas())
		for _, p := range visibleObjects(h.win.Canvas()) {
			if !tappable(p.o) {
				continue
			}
			if s := p.o.Size(); s.Width < target || s.Height < target {
				t.Errorf("%s: %s is %vx%v, want at least %vx%v", name, p.path, s.Width, s.Height, target, target)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < len(cashierViews)-2 {
		t.Fatalf("only %d of the cashier's screens were checked", checked)
	}
}

// tappable tells what a finger must hit: buttons, tiles and rows that answer a tap.
func tappable(o fyne.CanvasObject) bool {
	switch v := o.(type) {
	case *widget.Button, *widget.Select, *widget.Check:
		return true
	case *tw.Tile:
		return v.Text != ""
	case *tw.Row:
		return v.Left() != ""
	}
	return false
}

// Long texts are cut short or wrapped inside their place: the title (it holds the database's
// path) and the portal's state in the header, a product's name on a line of the sale.
func TestLongTextsStayInsideTheScreen(t *testing.T) {
	for _, size := range screenSizes {
		h := harnessAt(t, size)
		s := h.till.sale
		s.title.SetText("Cassa · /home/negozio/.local/share/it.cassa.till/dati/cassa-principale-del-bar.db")
		s.setSync("Cassa revocata dal portale: riattivala da Impostazioni · 12 vendite conservate", true)
		for _, d := range "1234" {
			s.digit(string(d))
		}
		s.apply(h.till.register.Department(h.till.depts[0]))
		h.till.show(s)
		settle(h.win.Canvas())
		for _, p := range cutOff(h.win.Canvas()) {
			t.Errorf("sale at %vx%v: %s", size.Width, size.Height, p)
		}
		if got := h.win.Canvas().Size(); got != size {
			t.Errorf("the window became %v, want %v", got, size)
		}
	}
}
