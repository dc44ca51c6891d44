package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"till/app/catalogue"
	"till/app/checkout"
	tw "till/app/ui/internal/widget"
)

// The catalogue screen's tabs.
const (
	tabProducts = iota
	tabCategories
	tabDepartments
)

// catalogueScreen lets a manager edit the catalogue on a till that no back office manages: the
// products (searched as on the sale screen, in a virtualised list), the categories and the
// departments. Like the settings screen it uses ordinary text entries: a keyboard is assumed
// for the manager. When the catalogue comes from the back office, the screen only shows it:
// the next update from the portal would overwrite a change made here.
type catalogueScreen struct {
	t      *Till
	store  CatalogueStore
	onBack func()

	root    fyne.CanvasObject
	tab     int
	tabs    []*widget.Button
	note    *widget.Label // why nothing can be changed, when nothing can
	message *widget.Label
	search  *tw.EscEntry
	list    *widget.List
	count   *widget.Label
	newBtn  *widget.Button
	saveBtn *widget.Button
	forms   []catalogueForm // one per tab
	formBox *fyne.Container

	readOnly bool
	loaded   bool
	index    *catalogue.Index // every product, the inactive ones too
	results  []int
	depts    []checkout.Department
	cats     []checkout.Category
	busy     bool
}

func newCatalogueScreen(t *Till, store CatalogueStore, onBack func()) *catalogueScreen {
	s := &catalogueScreen{t: t, store: store, onBack: onBack}
	title := widget.NewLabelWithStyle(tr("catalogue.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	s.note = wrapped()
	s.note.Importance = widget.WarningImportance
	s.message = wrapped()
	s.message.TextStyle = fyne.TextStyle{Bold: true}

	tabs := container.NewGridWithColumns(3)
	for i, key := range []string{"catalogue.tab.products", "catalogue.tab.categories", "catalogue.tab.departments"} {
		b := bigButton(tr(key), widget.MediumImportance, func() { s.showTab(i) })
		s.tabs = append(s.tabs, b)
		tabs.Add(b)
	}
	s.search = tw.NewEscEntry(s.goBack)
	s.search.SetPlaceHolder(tr("search.placeholder"))
	s.search.OnChanged = func(string) { s.filter() }
	s.newBtn = bigButton(tr("catalogue.new.product"), widget.HighImportance, s.newItem)
	s.list = widget.NewList(s.length, func() fyne.CanvasObject { return tw.NewRow(nil) }, s.updateRow)
	s.list.OnSelected = s.selected
	s.count = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{})
	up := widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { s.turn(-1) })
	down := widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { s.turn(1) })
	left := container.NewBorder(
		tall(container.NewBorder(nil, nil, nil, s.newBtn, s.search), minTouch),
		tall(container.NewBorder(nil, nil, sized(up, arrowWidth, 0), sized(down, arrowWidth, 0), narrow(s.count)), minTouch), nil, nil, s.list)

	s.forms = []catalogueForm{newProductForm(s), newCategoryForm(s), newDepartmentForm(s)}
	s.formBox = container.NewStack()
	for _, f := range s.forms {
		s.formBox.Add(f.content())
	}
	split := container.NewHSplit(left, container.NewVScroll(s.formBox))
	split.Offset = 0.5
	s.saveBtn = bigButton(tr("catalogue.save"), widget.SuccessImportance, func() { s.forms[s.tab].save() })
	buttons := tall(container.NewGridWithColumns(2, bigButton(tr("back"), widget.MediumImportance, s.goBack), s.saveBtn), minTouch)
	s.root = container.NewBorder(container.NewVBox(title, tall(tabs, minTouch), s.note),
		container.NewVBox(s.message, buttons), nil, nil, split)
	s.showTab(tabProducts)
	return s
}

func (s *catalogueScreen) content() fyne.CanvasObject { return s.root }

// open shows the screen and reads the catalogue in the background: the products (all of them,
// with their search index), the categories, the departments, and where they came from.
func (s *catalogueScreen) open() {
	s.setMessage(tr("loading"), false)
	s.t.show(s)
	s.reload("")
}

func (s *catalogueScreen) reload(done string) {
	s.t.bridge.run(func() func() {
		ctx := context.Background()
		meta, err := s.store.CatalogueMeta(ctx)
		var prods []checkout.Product
		var depts []checkout.Department
		var cats []checkout.Category
		if err == nil {
			prods, err = s.store.AllProducts(ctx)
		}
		if err == nil {
			depts, err = s.t.deps.Store.Departments(ctx)
		}
		if err == nil {
			cats, err = s.t.deps.Store.Categories(ctx)
		}
		if err != nil {
			return func() { s.setMessage(errorText(err), true) }
		}
		x := catalogue.NewIndex(prods)
		return func() {
			s.index, s.depts, s.cats, s.loaded = x, depts, cats, true
			s.setReadOnly(meta.Source == catalogue.SourcePortal)
			for _, f := range s.forms {
				f.choicesChanged()
			}
			s.filter()
			s.setMessage(done, false)
		}
	})
}

func (s *catalogueScreen) setReadOnly(ro bool) {
	s.readOnly = ro
	if ro {
		s.note.SetText(tr("catalogue.portal"))
		s.note.Show()
		s.newBtn.Hide()
		s.saveBtn.Hide()
	} else {
		s.note.Hide()
		s.newBtn.Show()
		s.saveBtn.Show()
	}
	for _, f := range s.forms {
		f.setReadOnly(ro)
	}
	s.root.Refresh()
}

func (s *catalogueScreen) showTab(tab int) {
	s.tab = tab
	for i, b := range s.tabs {
		b.Importance = widget.MediumImportance
		if i == tab {
			b.Importance = widget.HighImportance
		}
		b.Refresh()
	}
	for i, f := range s.forms {
		if i == tab {
			f.content().Show()
		} else {
			f.content().Hide()
		}
	}
	s.newBtn.SetText(tr([]string{"catalogue.new.product", "catalogue.new.category", "catalogue.new.department"}[tab]))
	if tab == tabProducts {
		s.search.Show()
	} else {
		s.search.Hide()
	}
	s.forms[tab].clear()
	s.list.UnselectAll()
	s.filter()
	s.root.Refresh()
}

// filter lists the products that match the search, or the categories or departments.
func (s *catalogueScreen) filter() {
	switch {
	case s.tab != tabProducts:
	case s.index == nil:
		s.results = s.results[:0]
	default:
		s.results = s.index.Search(s.search.Text, "", s.results[:0])
	}
	s.count.SetText(trn("catalogue.items", s.length(), nil))
	s.list.UnselectAll()
	if s.list.GetScrollOffset() != 0 { // not before the list is drawn: it has no scroller yet
		s.list.ScrollToTop()
	}
	s.list.Refresh()
}

func (s *catalogueScreen) length() int {
	switch s.tab {
	case tabCategories:
		return len(s.cats)
	case tabDepartments:
		return len(s.depts)
	}
	return len(s.results)
}

func (s *catalogueScreen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	r := o.(*tw.Row)
	if id >= s.length() {
		r.Set("", "", false)
		return
	}
	switch s.tab {
	case tabCategories:
		r.Set(s.cats[id].Name, "", false)
	case tabDepartments:
		d := s.depts[id]
		r.Set(fmt.Sprintf("%d · %s", d.Number, d.Name), deptRate(d), false)
	default:
		p := s.index.At(s.results[id])
		left := fmt.Sprintf("%s · %s", p.Code, p.Name)
		if !p.Active {
			left = tr("catalogue.inactive", map[string]any{"Product": left})
		}
		r.Set(left, p.Price.Plain(), false)
	}
}

// deptRate is a department's VAT rate, or its nature when the rate is 0.
func deptRate(d checkout.Department) string {
	if d.VATRate == 0 {
		return d.Nature
	}
	return d.VATRate.String()
}

func (s *catalogueScreen) selected(id widget.ListItemID) {
	if id >= s.length() {
		return
	}
	f := s.forms[s.tab]
	switch s.tab {
	case tabCategories:
		f.edit(s.cats[id])
	case tabDepartments:
		f.edit(s.depts[id])
	default:
		f.edit(*s.index.At(s.results[id]))
	}
	s.setMessage("", false)
}

func (s *catalogueScreen) newItem() {
	if s.readOnly || !s.loaded {
		return
	}
	s.list.UnselectAll()
	s.forms[s.tab].clear()
	s.forms[s.tab].focus()
}

// turn shows the next (dir 1) or previous (dir -1) page of the list: desktop Fyne has no
// touch scrolling.
func (s *catalogueScreen) turn(dir int) {
	row := tw.NewRow(nil).MinSize().Height + theme.Padding()
	rows := max(1, int((s.list.Size().Height+theme.Padding())/row))
	s.list.ScrollToOffset(max(0, s.list.GetScrollOffset()+float32(dir*rows)*row))
}

// saved reloads the screen and the sale screen's catalogue after a change was written.
func (s *catalogueScreen) saved(text string) {
	s.reload(text)
	s.t.loadCatalogue()
}

func (s *catalogueScreen) goBack() {
	if !s.busy && s.onBack != nil {
		s.onBack()
	}
}

func (s *catalogueScreen) setMessage(text string, isError bool) {
	s.message.SetText(text)
	s.message.Importance = widget.MediumImportance
	if isError {
		s.message.Importance = widget.DangerImportance
	}
	s.message.Refresh()
}

func (s *catalogueScreen) typedRune(rune) {}

func (s *catalogueScreen) typedKey(k fyne.KeyName) {
	if k == fyne.KeyEscape {
		s.goBack()
	}
}

// trimmedFields splits text at spaces and commas.
func trimmedFields(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == ',' || r == ';' })
}
