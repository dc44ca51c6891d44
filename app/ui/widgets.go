package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// row is a tappable list row with text on the left and an amount on the right; lists are
// paged with buttons rather than scrolled, since desktop fyne has no touch scrolling.
type row struct {
	widget.BaseWidget
	left, right *widget.Label
	bg          *canvas.Rectangle
	box         *fyne.Container
	onTap       func()
	selected    bool
}

func newRow(onTap func()) *row {
	r := &row{left: widget.NewLabel(""), right: widget.NewLabel(""), onTap: onTap,
		bg: canvas.NewRectangle(color.Transparent)}
	r.left.Truncation = fyne.TextTruncateEllipsis
	r.right.Alignment = fyne.TextAlignTrailing
	r.ExtendBaseWidget(r)
	return r
}

func (r *row) set(left, right string, selected bool) {
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

// Tapped selects the row.
func (r *row) Tapped(*fyne.PointEvent) {
	if r.onTap != nil && r.left.Text != "" {
		r.onTap()
	}
}

func (r *row) MinSize() fyne.Size {
	s := r.BaseWidget.MinSize()
	return fyne.NewSize(s.Width, max(s.Height, 44))
}

func (r *row) CreateRenderer() fyne.WidgetRenderer {
	r.box = container.NewBorder(nil, nil, nil, r.right, r.left)
	return widget.NewSimpleRenderer(container.NewStack(r.bg, r.box))
}

// pager shows a fixed number of rows of a longer list, with buttons to move a page.
type pager struct {
	rows       []*row
	page       int
	count      int
	up, down   *widget.Button
	info       *widget.Label
	render     func(i int, r *row) // fills row r with item i
	box        *fyne.Container
	onSelected func(i int)
}

func newPager(size int, render func(i int, r *row), onSelected func(i int)) *pager {
	p := &pager{render: render, onSelected: onSelected, info: widget.NewLabel("")}
	p.info.Alignment = fyne.TextAlignCenter
	rows := container.NewVBox()
	for i := 0; i < size; i++ {
		i := i
		r := newRow(func() {
			if p.onSelected != nil {
				p.onSelected(p.page*len(p.rows) + i)
			}
		})
		p.rows = append(p.rows, r)
		rows.Add(r)
	}
	p.up = widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { p.show(p.page - 1) })
	p.down = widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { p.show(p.page + 1) })
	nav := container.NewGridWithColumns(3, p.up, p.info, p.down)
	p.box = container.NewBorder(nil, nav, nil, nil, rows)
	return p
}

func (p *pager) pages() int { return max(1, (p.count+len(p.rows)-1)/len(p.rows)) }

// setCount changes how many items there are and shows the page holding item focus (-1: keep).
func (p *pager) setCount(n, focus int) {
	p.count = n
	page := p.page
	if focus >= 0 {
		page = focus / len(p.rows)
	}
	p.show(page)
}

func (p *pager) show(page int) {
	p.page = min(max(page, 0), p.pages()-1)
	for i, r := range p.rows {
		idx := p.page*len(p.rows) + i
		if idx < p.count {
			p.render(idx, r)
		} else {
			r.set("", "", false)
		}
	}
	p.info.SetText(tr("page", map[string]any{"Page": p.page + 1, "Pages": p.pages()}))
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

// bigButton is a button that fills its grid cell; importance gives its colour.
func bigButton(text string, imp widget.Importance, tapped func()) *widget.Button {
	b := widget.NewButton(text, tapped)
	b.Importance = imp
	return b
}

// tall makes an object at least h pixels high.
func tall(o fyne.CanvasObject, h float32) fyne.CanvasObject {
	spacer := canvas.NewRectangle(color.Transparent)
	spacer.SetMinSize(fyne.NewSize(0, h))
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
