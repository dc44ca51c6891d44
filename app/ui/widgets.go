package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	tw "till/app/ui/internal/widget"
)

// pageText words "page N of M" for the pagers.
func pageText(page, pages int) string {
	return tr("page", map[string]any{"Page": page, "Pages": pages})
}

// newPager is a pager of the till's lists.
func newPager(size int, render func(i int, r *tw.Row), onSelected func(i int)) *tw.Pager {
	return tw.NewPager(size, render, onSelected, pageText)
}

// bigButton is a button that fills its grid cell; importance gives its colour.
func bigButton(text string, imp widget.Importance, tapped func()) *widget.Button {
	b := widget.NewButton(text, tapped)
	b.Importance = imp
	return b
}

// fitButton cuts text with an ellipsis to what a button of width w can show: a button's text
// cannot wrap, and a long one (an invoice customer's company) once widened the screen past
// the window and cut CONFERMA off.
func fitButton(text string, w float32) string {
	inside := w - 2*theme.InnerPadding() - 2*theme.Padding()
	return tw.FitText(text, inside, theme.TextSize(), fyne.TextStyle{Bold: true})
}

// tall makes an object at least h pixels high.
func tall(o fyne.CanvasObject, h float32) fyne.CanvasObject { return sized(o, 0, h) }

// sized makes an object at least w pixels wide and h high: an icon button to touch.
func sized(o fyne.CanvasObject, w, h float32) fyne.CanvasObject {
	spacer := canvas.NewRectangle(color.Transparent)
	spacer.SetMinSize(fyne.NewSize(w, h))
	return container.NewStack(spacer, o)
}

// keypad is the numeric keypad shared by the sale and payment screens.
func keypad(digit func(string), extra ...fyne.CanvasObject) fyne.CanvasObject {
	keys := container.NewGridWithColumns(3)
	for _, k := range []string{"7", "8", "9", "4", "5", "6", "1", "2", "3", "0", "00"} {
		k := k
		keys.Add(bigButton(k, widget.MediumImportance, func() { digit(k) }))
	}
	for _, e := range extra {
		keys.Add(e)
	}
	return keys
}

// narrow lays o out at the width it is given and asks for none: a text that changes with the
// catalogue (a count of products) must not widen the screen.
func narrow(o fyne.CanvasObject) fyne.CanvasObject { return container.New(narrowLayout{}, o) }

type narrowLayout struct{}

func (narrowLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objects {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(0, h)
}

func (narrowLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// newField is a text field on which Esc leaves the field, so that the next Esc acts on the
// screen as everywhere else (a focused field gets the keys before the window does, and Esc
// typed in it did nothing). Leaving the field loses nothing typed.
func newField() *tw.EscEntry {
	var e *tw.EscEntry
	e = tw.NewEscEntry(func() {
		if c := fyne.CurrentApp().Driver().CanvasForObject(e); c != nil {
			c.Unfocus()
		}
	})
	return e
}
