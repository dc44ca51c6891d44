package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"till/app/catalogue"
	"till/app/checkout"
	tw "till/app/ui/internal/widget"
)

// tileSize is a product's tile on the sale screen: two lines of text, two tiles across the
// catalogue's column of the till's window.
var tileSize = fyne.NewSize(148, 64)

// productPanel is the catalogue on the sale screen: a search field filtered at every keystroke,
// the categories, and the products that match in a virtualised grid (only the tiles on screen
// exist, whatever the catalogue holds) turned a page at a time with ▲ ▼, since desktop Fyne
// has no touch scrolling.
type productPanel struct {
	s        *saleScreen
	index    *catalogue.Index // nil until the catalogue is loaded
	cats     []checkout.Category
	category string // the category shown; "" for all
	results  []int  // positions in index of the products shown

	search  *tw.EscEntry
	catList *tw.Slots
	catBox  fyne.CanvasObject
	grid    *widget.GridWrap
	count   *widget.Label
	root    fyne.CanvasObject
}

func newProductPanel(s *saleScreen) *productPanel {
	p := &productPanel{s: s}
	p.search = tw.NewEscEntry(p.leaveSearch)
	p.search.SetPlaceHolder(tr("search.placeholder"))
	p.search.OnChanged = func(string) { p.filter() }
	p.search.OnSubmitted = p.submitted
	p.search.OnFocus = s.showLetters
	// "Tutte" and the categories, a page at a time.
	p.catList = tw.NewSlots(6, 3, fyne.NewSize(0, minTouch), widget.MediumImportance, p.catLabel, p.catChosen, p.chooseCat, moreText)
	p.catBox = p.catList.Content()
	p.catBox.Hide()
	p.grid = widget.NewGridWrap(func() int { return len(p.results) }, p.newTile, p.updateTile)
	p.count = widget.NewLabelWithStyle(tr("catalogue.loading"), fyne.TextAlignCenter, fyne.TextStyle{})
	up := widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { p.turn(-1) })
	down := widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { p.turn(1) })
	nav := tall(container.NewBorder(nil, nil, sized(up, arrowWidth, 0), sized(down, arrowWidth, 0), narrow(p.count)), minTouch)
	clear := widget.NewButtonWithIcon("", theme.ContentClearIcon(), p.leaveSearch)
	searchRow := tall(container.NewBorder(nil, nil, nil, sized(clear, minTouch, 0), p.search), minTouch)
	p.root = container.NewBorder(container.NewVBox(searchRow, p.catBox), nav, nil, nil, p.grid)
	return p
}

func (p *productPanel) content() fyne.CanvasObject { return p.root }

// setCategories shows the categories ("Tutte" first); the strip is hidden when there are none.
func (p *productPanel) setCategories(cats []checkout.Category) {
	p.cats = cats
	known := p.category == ""
	for _, c := range cats {
		known = known || c.ID == p.category
	}
	if !known {
		p.category = ""
	}
	p.catList.SetCount(len(cats) + 1)
	if len(cats) == 0 {
		p.catBox.Hide()
	} else {
		p.catBox.Show()
	}
	p.root.Refresh() // lay the grid out again below the categories
	p.filter()
}

// setIndex shows a new catalogue, with the search and category as they are.
func (p *productPanel) setIndex(x *catalogue.Index) {
	p.index = x
	p.filter()
}

func (p *productPanel) catLabel(i int) string {
	if i == 0 {
		return tr("category.all")
	}
	return p.cats[i-1].Name
}

func (p *productPanel) catChosen(i int) bool {
	if i == 0 {
		return p.category == ""
	}
	return p.cats[i-1].ID == p.category
}

func (p *productPanel) chooseCat(i int) {
	p.category = ""
	if i > 0 {
		p.category = p.cats[i-1].ID
	}
	p.catList.Refresh()
	p.filter()
}

// filter shows the products that match the search and the category, from the first. Only the
// index search is proportional to the catalogue; the grid redraws the tiles on screen.
func (p *productPanel) filter() {
	if p.index == nil {
		p.results = p.results[:0]
		p.count.SetText(tr("catalogue.loading"))
	} else {
		p.results = p.index.Search(p.search.Text, p.category, p.results[:0])
		p.count.SetText(trn("catalogue.count", len(p.results), nil))
	}
	if p.grid.GetScrollOffset() != 0 {
		p.grid.ScrollToTop()
	}
	p.grid.Refresh()
}

func (p *productPanel) newTile() fyne.CanvasObject {
	t := tw.NewTile("", widget.MediumImportance, nil)
	t.Min = tileSize
	return t
}

func (p *productPanel) updateTile(id widget.GridWrapItemID, o fyne.CanvasObject) {
	t := o.(*tw.Tile)
	if id >= len(p.results) || p.index == nil {
		t.Set("", widget.MediumImportance)
		t.OnTapped = nil
		return
	}
	prod := p.index.At(p.results[id])
	t.Set(prod.Name+"\n"+prod.Price.Plain(), widget.MediumImportance)
	t.OnTapped = func() { p.s.addProduct(prod) }
}

// turn shows the next (dir 1) or previous (dir -1) page of products: as many whole rows as the
// grid shows.
func (p *productPanel) turn(dir int) {
	row := tileSize.Height + theme.Padding()
	rows := max(1, int((p.grid.Size().Height+theme.Padding())/row))
	p.grid.ScrollToOffset(p.grid.GetScrollOffset() + float32(dir*rows)*row)
}

// submitted is Enter in the search field: a scanner that typed into it, or the cashier
// choosing the only product found. Enter on an empty search is PAGA, as everywhere else.
func (p *productPanel) submitted(text string) {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		p.leaveSearch()
		p.s.t.startPayment()
	case isBarcode(text):
		p.search.SetText("") // the next scan types into an empty field
		p.s.scanned(text)
	case p.index == nil:
		p.s.setMessage(tr("catalogue.loading"), true)
	case len(p.results) == 1:
		p.s.addProduct(p.index.At(p.results[0]))
	case len(p.results) == 0:
		p.s.setMessage(tr("search.none"), true)
	default:
		p.s.setMessage(trn("search.choose", len(p.results), nil), false)
	}
}

// typeRune types a letter of the on-screen keypad into the search.
func (p *productPanel) typeRune(r rune) { p.search.TypedRune(r) }

func (p *productPanel) backspace() { p.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace}) }

// leaveSearch empties the search and gives the keyboard back to the keypad.
func (p *productPanel) leaveSearch() {
	p.search.SetText("")
	if c := fyne.CurrentApp().Driver().CanvasForObject(p.search); c != nil {
		c.Unfocus()
	}
	p.s.showDigits()
}

// letterPad is the on-screen keypad of the search: letters in alphabetical order (a cashier
// finds them faster than on a QWERTY layout six keys wide), space, backspace, and 123 back to
// the numbers.
func letterPad(typed func(rune), backspace, digits func()) fyne.CanvasObject {
	keys := container.NewGridWithColumns(6)
	for _, r := range "ABCDEFGHIJKLMNOPQRSTUVWXYZ'" {
		keys.Add(bigButton(string(r), widget.MediumImportance, func() { typed(r) }))
	}
	keys.Add(bigButton("␣", widget.MediumImportance, func() { typed(' ') }))
	keys.Add(bigButton("⌫", widget.MediumImportance, backspace))
	keys.Add(bigButton("123", widget.MediumImportance, digits))
	return keys
}
