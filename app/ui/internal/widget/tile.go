package widget

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Tile is a button for an entry of the shop's catalogue (a product, a category, a department).
// Unlike a widget.Button its lines are cut short with an ellipsis to the size the layout gives
// it: a long product name never widens the screen. A tile without text draws nothing and
// ignores taps, so a grid of tiles can show fewer entries than it has tiles.
type Tile struct {
	widget.BaseWidget
	Text       string // lines separated by "\n"
	Importance widget.Importance
	OnTapped   func()
	Min        fyne.Size // the tile is never smaller than this

	hovered, pressed bool
}

// NewTile makes a tile; importance gives its colour, as for a button.
func NewTile(text string, imp widget.Importance, tapped func()) *Tile {
	t := &Tile{Text: text, Importance: imp, OnTapped: tapped}
	t.ExtendBaseWidget(t)
	return t
}

// Set changes the text and colour.
func (t *Tile) Set(text string, imp widget.Importance) {
	if t.Text == text && t.Importance == imp {
		return
	}
	t.Text, t.Importance = text, imp
	t.Refresh()
}

// Tapped calls OnTapped.
func (t *Tile) Tapped(*fyne.PointEvent) {
	if t.OnTapped != nil && t.Text != "" {
		t.OnTapped()
	}
}

// MouseIn, MouseMoved, MouseOut, MouseDown and MouseUp shade the tile under the pointer and
// while it is pressed: a touch screen gives no other feedback that a tap registered.
func (t *Tile) MouseIn(*desktop.MouseEvent) { t.hovered = true; t.Refresh() }

// MouseMoved implements desktop.Hoverable.
func (t *Tile) MouseMoved(*desktop.MouseEvent) {}

// MouseOut implements desktop.Hoverable.
func (t *Tile) MouseOut() { t.hovered, t.pressed = false, false; t.Refresh() }

// MouseDown implements desktop.Mouseable.
func (t *Tile) MouseDown(*desktop.MouseEvent) { t.pressed = true; t.Refresh() }

// MouseUp implements desktop.Mouseable.
func (t *Tile) MouseUp(*desktop.MouseEvent) { t.pressed = false; t.Refresh() }

// MinSize is Min, or the height of the lines when taller; the width never depends on the text.
func (t *Tile) MinSize() fyne.Size {
	t.ExtendBaseWidget(t)
	return t.BaseWidget.MinSize().Max(t.Min)
}

// CreateRenderer implements fyne.Widget.
func (t *Tile) CreateRenderer() fyne.WidgetRenderer {
	r := &tileRenderer{t: t, bg: canvas.NewRectangle(color.Transparent)}
	r.Refresh()
	return r
}

// tileRenderer draws the lines as plain canvas texts cut to the tile's width by fitText: a
// tile's text changes at every keystroke of the search, and Fyne's own truncation shapes the
// whole text again each time, too slow for a grid of them within a frame.
type tileRenderer struct {
	t     *Tile
	bg    *canvas.Rectangle
	lines []*canvas.Text
	full  []string // the lines before cutting
	objs  []fyne.CanvasObject
}

func (r *tileRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	r.bg.CornerRadius = r.radius(size)
	pad := r.t.Theme().Size(theme.SizeNameInnerPadding)
	width := size.Width - pad
	var h float32
	for i, l := range r.lines {
		l.Text = fitText(r.full[i], width, l.TextSize, l.TextStyle)
		h += lineHeight(l)
	}
	y := (size.Height - h) / 2
	for _, l := range r.lines {
		lh := lineHeight(l)
		l.Move(fyne.NewPos(pad/2, y))
		l.Resize(fyne.NewSize(width, lh))
		l.Refresh()
		y += lh
	}
}

func (r *tileRenderer) MinSize() fyne.Size {
	pad := r.t.Theme().Size(theme.SizeNameInnerPadding)
	var h float32
	for _, l := range r.lines {
		h += lineHeight(l)
	}
	return fyne.NewSize(2*pad, h+pad)
}

// lineHeight is the height of a line of l's size and style, whatever its text: measuring each
// text would shape it.
func lineHeight(l *canvas.Text) float32 { return fyne.MeasureText("M", l.TextSize, l.TextStyle).Height }

func (r *tileRenderer) Refresh() {
	th := r.t.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	fgName, bgName := tileColors(r.t.Importance)
	fg := th.Color(fgName, v)
	r.full = r.full[:0]
	if r.t.Text != "" {
		r.full = strings.Split(r.t.Text, "\n")
	}
	for len(r.lines) < len(r.full) {
		r.lines = append(r.lines, canvas.NewText("", fg))
	}
	r.lines = r.lines[:len(r.full)]
	size := th.Size(theme.SizeNameText)
	for i, l := range r.lines {
		l.Color, l.TextSize, l.Alignment = fg, size, fyne.TextAlignCenter
		// The name in regular weight fits more of it; what follows (a price, a rate) stands out.
		l.TextStyle = fyne.TextStyle{Bold: i > 0}
	}
	if r.t.Text == "" {
		r.bg.FillColor = color.Transparent
	} else {
		fill := th.Color(bgName, v)
		if r.t.pressed || r.t.hovered {
			over := th.Color(theme.ColorNameHover, v)
			if r.t.pressed {
				over = th.Color(theme.ColorNamePressed, v)
			}
			fill = blend(fill, over)
		}
		r.bg.FillColor = fill
	}
	r.objs = append(r.objs[:0], r.bg)
	for _, l := range r.lines {
		r.objs = append(r.objs, l)
	}
	r.bg.Refresh()
	r.Layout(r.t.Size())
}

// radius rounds the corners as a button's; the software painter cannot round a rectangle
// smaller than its corners (a tile not laid out yet).
func (r *tileRenderer) radius(size fyne.Size) float32 {
	rad := r.t.Theme().Size(theme.SizeNameInputRadius)
	if r.t.Text == "" || size.Width < 2*rad || size.Height < 2*rad {
		return 0
	}
	return rad
}

func (r *tileRenderer) Objects() []fyne.CanvasObject { return r.objs }

func (r *tileRenderer) Destroy() {}

// tileColors are a button's colours for an importance.
func tileColors(imp widget.Importance) (fg, bg fyne.ThemeColorName) {
	switch imp {
	case widget.HighImportance:
		return theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary
	case widget.SuccessImportance:
		return theme.ColorNameForegroundOnSuccess, theme.ColorNameSuccess
	case widget.WarningImportance:
		return theme.ColorNameForegroundOnWarning, theme.ColorNameWarning
	case widget.DangerImportance:
		return theme.ColorNameForegroundOnError, theme.ColorNameError
	}
	return theme.ColorNameForeground, theme.ColorNameButton
}

// blend lays over, with its alpha, on under.
func blend(under, over color.Color) color.Color {
	ur, ug, ub, ua := under.RGBA()
	or, og, ob, oa := over.RGBA()
	a := float32(oa) / 0xffff
	mix := func(u, o uint32) uint16 { return uint16(float32(o) + float32(u)*(1-a)) }
	return color.RGBA64{R: mix(ur, or), G: mix(ug, og), B: mix(ub, ob), A: uint16(min(0xffff, float32(oa)+float32(ua)*(1-a)))}
}
