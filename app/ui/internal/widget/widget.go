// Package widget holds the till's own Fyne widgets: a tappable list row, a pager that shows a
// long list a page at a time (desktop Fyne has no touch scrolling), a text entry on which Esc
// leaves the screen, and tiles that cut their text to fit, alone or a page of choices at a
// time. They draw and report taps; they know nothing of sales.
package widget

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Row is a tappable list row with text on the left and an amount on the right.
type Row struct {
	widget.BaseWidget
	left, right *widget.Label
	bg          *canvas.Rectangle
	box         *fyne.Container
	onTap       func()
	selected    bool
}

// NewRow makes an empty row; onTap is called when a row with text is tapped.
func NewRow(onTap func()) *Row {
	r := &Row{left: widget.NewLabel(""), right: widget.NewLabel(""), onTap: onTap,
		bg: canvas.NewRectangle(color.Transparent)}
	r.left.Truncation = fyne.TextTruncateEllipsis
	r.right.Alignment = fyne.TextAlignTrailing
	r.ExtendBaseWidget(r)
	return r
}

// Set shows left and right, highlighted when selected. A row that shows them already is left
// alone: fitting a text to the row shapes it again, and a pager sets every row at each change.
func (r *Row) Set(left, right string, selected bool) {
	if r.left.Text == left && r.right.Text == right && r.selected == selected {
		return
	}
	r.left.SetText(left)
	r.right.SetText(right)
	r.selected = selected
	if selected {
		r.bg.FillColor = theme.Color(theme.ColorNameSelection)
	} else {
		r.bg.FillColor = color.Transparent
	}
	r.bg.Refresh()
	if r.box != nil {
		r.box.Refresh() // lay out again: the right text's width may have changed
	}
}

// Selected tells whether the row is highlighted.
func (r *Row) Selected() bool { return r.selected }

// Left and Right are the texts shown.
func (r *Row) Left() string  { return r.left.Text }
func (r *Row) Right() string { return r.right.Text }

// Tapped selects the row.
func (r *Row) Tapped(*fyne.PointEvent) {
	if r.onTap != nil && r.left.Text != "" {
		r.onTap()
	}
}

// MinTarget is the least a finger can hit, each way, in pixels.
const MinTarget float32 = 48

// MinSize keeps rows tall enough to tap.
func (r *Row) MinSize() fyne.Size {
	s := r.BaseWidget.MinSize()
	return fyne.NewSize(s.Width, max(s.Height, MinTarget))
}

// CreateRenderer implements fyne.Widget.
func (r *Row) CreateRenderer() fyne.WidgetRenderer {
	r.box = container.NewBorder(nil, nil, nil, r.right, r.left)
	return widget.NewSimpleRenderer(container.NewStack(r.bg, r.box))
}

// Pager shows a fixed number of rows of a longer list, with buttons to move a page.
type Pager struct {
	Rows       []*Row
	page       int
	count      int
	up, down   *widget.Button
	info       *widget.Label
	render     func(i int, r *Row) // fills row r with item i
	pageText   func(page, pages int) string
	box        *fyne.Container
	onSelected func(i int)
}

// NewPager shows size rows at a time; render fills a row with an item, onSelected gets the
// tapped item, pageText words "page N of M" in the till's language.
func NewPager(size int, render func(i int, r *Row), onSelected func(i int), pageText func(page, pages int) string) *Pager {
	p := &Pager{render: render, onSelected: onSelected, pageText: pageText, info: widget.NewLabel("")}
	p.info.Alignment = fyne.TextAlignCenter
	rows := container.NewVBox()
	for i := 0; i < size; i++ {
		r := NewRow(func() {
			if p.onSelected != nil {
				p.onSelected(p.page*len(p.Rows) + i)
			}
		})
		p.Rows = append(p.Rows, r)
		rows.Add(r)
	}
	p.up = widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { p.Show(p.page - 1) })
	p.down = widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { p.Show(p.page + 1) })
	nav := container.NewGridWithColumns(3, p.up, p.info, p.down)
	tall := canvas.NewRectangle(color.Transparent) // the ▲ ▼ buttons: a finger's height
	tall.SetMinSize(fyne.NewSize(0, MinTarget))
	p.box = container.NewBorder(nil, container.NewStack(tall, nav), nil, nil, rows)
	return p
}

// Content is what to put on the screen.
func (p *Pager) Content() fyne.CanvasObject { return p.box }

// Page is the page shown, from 0.
func (p *Pager) Page() int { return p.page }

func (p *Pager) pages() int { return max(1, (p.count+len(p.Rows)-1)/len(p.Rows)) }

// SetCount changes how many items there are and shows the page holding item focus (-1: keep).
func (p *Pager) SetCount(n, focus int) {
	p.count = n
	page := p.page
	if focus >= 0 {
		page = focus / len(p.Rows)
	}
	p.Show(page)
}

// Show shows a page (clamped to the pages there are).
func (p *Pager) Show(page int) {
	p.page = min(max(page, 0), p.pages()-1)
	for i, r := range p.Rows {
		idx := p.page*len(p.Rows) + i
		if idx < p.count {
			p.render(idx, r)
		} else {
			r.Set("", "", false)
		}
	}
	p.info.SetText(p.pageText(p.page+1, p.pages()))
	if p.page == 0 {
		p.up.Disable()
	} else {
		p.up.Enable()
	}
	if p.page >= p.pages()-1 {
		p.down.Disable()
	} else {
		p.down.Enable()
	}
}

// EscEntry is a text entry on which Esc calls onEscape, as Esc does on every screen: a focused
// entry gets the keys before the window does.
type EscEntry struct {
	widget.Entry
	onEscape func()
	// OnFocus, when set, is called when the entry gets the focus (a tap on a touch screen).
	OnFocus func()
}

// NewEscEntry makes an entry whose Esc calls onEscape.
func NewEscEntry(onEscape func()) *EscEntry {
	e := &EscEntry{onEscape: onEscape}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey handles Esc and leaves every other key to the entry.
func (e *EscEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}

// FocusGained calls OnFocus.
func (e *EscEntry) FocusGained() {
	e.Entry.FocusGained()
	if e.OnFocus != nil {
		e.OnFocus()
	}
}
