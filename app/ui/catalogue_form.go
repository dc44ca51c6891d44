package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"till/app/catalogue"
	"till/app/checkout"
	tw "till/app/ui/internal/widget"
	"till/money"
)

// catalogueForm is the form of one kind of catalogue entry on the catalogue screen.
type catalogueForm interface {
	content() fyne.CanvasObject
	edit(item any)       // fills the form with an entry to change
	clear()              // empties the form for a new entry
	focus()              // puts the keyboard in the first field
	choicesChanged()     // the departments or categories to choose from changed
	setReadOnly(ro bool) // the catalogue comes from the back office
	save()               // checks the form and writes the entry
}

// formBase is what the three forms share: a heading and the fields. Salva is the screen's,
// below the forms, so it never scrolls out of sight.
type formBase struct {
	s       *catalogueScreen
	root    fyne.CanvasObject
	heading *widget.Label
	fields  []fyne.Disableable
	first   fyne.Focusable
}

func newFormBase(s *catalogueScreen, rows ...fyne.CanvasObject) formBase {
	b := formBase{s: s, heading: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	b.root = container.NewVBox(b.heading, container.New(layout.NewFormLayout(), rows...))
	return b
}

func (b *formBase) content() fyne.CanvasObject { return b.root }

func (b *formBase) focus() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(b.root); c != nil && b.first != nil {
		c.Focus(b.first)
	}
}

func (b *formBase) setReadOnly(ro bool) {
	for _, f := range b.fields {
		if ro {
			f.Disable()
		} else {
			f.Enable()
		}
	}
}

// write saves in the background, then reloads the catalogue with the message done; a refusal
// stays on the form with what to correct.
func (b *formBase) write(work func(ctx context.Context) error, done string, after func()) {
	s := b.s
	if s.readOnly || s.busy {
		return
	}
	s.busy = true
	s.saveBtn.Disable()
	s.setMessage(tr("catalogue.saving"), false)
	s.t.bridge.run(func() func() {
		err := work(context.Background())
		return func() {
			s.busy = false
			s.saveBtn.Enable()
			if err != nil {
				s.setMessage(errorText(err), true)
				return
			}
			after()
			s.saved(done)
		}
	})
}

// problemText says a problem found before saving, as the store would have said it.
func problemText(p catalogue.Problem) string {
	return errorText(&catalogue.Invalid{Problems: []catalogue.Problem{p}})
}

func labelled(key string, o fyne.CanvasObject) []fyne.CanvasObject {
	return []fyne.CanvasObject{widget.NewLabel(tr(key)), tall(o, minTouch)}
}

// productForm edits a product: code, barcodes, name, price, department, category, active.
type productForm struct {
	formBase
	name, code, barcodes, price *tw.EscEntry
	dept, cat                   *widget.Select
	active                      *widget.Check
	editing                     *checkout.Product // nil for a new product
}

func newProductForm(s *catalogueScreen) *productForm {
	f := &productForm{code: newField(), barcodes: newField(), name: newField(), price: newField(),
		dept: widget.NewSelect(nil, nil), cat: widget.NewSelect(nil, nil), active: widget.NewCheck(tr("catalogue.field.active"), nil)}
	f.barcodes.SetPlaceHolder(tr("catalogue.hint.barcodes"))
	f.price.SetPlaceHolder("1,80")
	var rows []fyne.CanvasObject
	rows = append(rows, labelled("catalogue.field.code", f.code)...)
	rows = append(rows, labelled("catalogue.field.name", f.name)...)
	rows = append(rows, labelled("catalogue.field.price", f.price)...)
	rows = append(rows, labelled("catalogue.field.barcodes", f.barcodes)...)
	rows = append(rows, labelled("catalogue.field.department", f.dept)...)
	rows = append(rows, labelled("catalogue.field.category", f.cat)...)
	rows = append(rows, widget.NewLabel(""), tall(f.active, minTouch))
	f.formBase = newFormBase(s, rows...)
	f.fields = []fyne.Disableable{f.code, f.barcodes, f.name, f.price, f.dept, f.cat, f.active}
	f.first = f.code
	f.clear()
	return f
}

func (f *productForm) choicesChanged() {
	var depts []string
	for _, d := range f.s.depts {
		depts = append(depts, deptChoice(d))
	}
	f.dept.SetOptions(depts)
	cats := []string{tr("catalogue.category.none")}
	for _, c := range f.s.cats {
		cats = append(cats, c.Name)
	}
	f.cat.SetOptions(cats)
	if f.editing != nil {
		f.edit(*f.editing)
	}
}

// deptChoice names a department in a choice: "1 · Bar (22%)".
func deptChoice(d checkout.Department) string {
	return fmt.Sprintf("%d · %s (%s)", d.Number, d.Name, deptRate(d))
}

func (f *productForm) clear() {
	f.editing = nil
	f.heading.SetText(tr("catalogue.new.product"))
	for _, e := range []*tw.EscEntry{f.code, f.barcodes, f.name, f.price} {
		e.SetText("")
	}
	f.dept.ClearSelected()
	f.cat.SetSelectedIndex(0)
	f.active.SetChecked(true)
}

func (f *productForm) edit(item any) {
	p := item.(checkout.Product)
	f.editing = &p
	f.heading.SetText(tr("catalogue.edit.product", map[string]any{"Code": p.Code}))
	f.code.SetText(p.Code)
	f.name.SetText(p.Name)
	f.price.SetText(p.Price.Plain())
	f.barcodes.SetText(strings.Join(p.Barcodes, " "))
	f.dept.ClearSelected()
	for i, d := range f.s.depts {
		if d.ID == p.DepartmentID {
			f.dept.SetSelectedIndex(i)
		}
	}
	f.cat.SetSelectedIndex(0)
	for i, c := range f.s.cats {
		if c.ID == p.CategoryID {
			f.cat.SetSelectedIndex(i + 1)
		}
	}
	f.active.SetChecked(p.Active)
}

func (f *productForm) save() {
	price, err := money.Parse(f.price.Text)
	if err != nil {
		f.s.setMessage(problemText(catalogue.Problem{Field: "price", Code: catalogue.ProblemPrice, Value: f.price.Text}), true)
		return
	}
	p := checkout.Product{Code: strings.TrimSpace(f.code.Text), Name: strings.TrimSpace(f.name.Text), Price: price,
		Barcodes: trimmedFields(f.barcodes.Text), Active: true}
	wasActive := true // a new product is saved active
	if f.editing != nil {
		p.ID, wasActive = f.editing.ID, f.editing.Active
	} else {
		p.ID = f.s.t.deps.NewID()
	}
	if i := f.dept.SelectedIndex(); i >= 0 && i < len(f.s.depts) {
		p.DepartmentID = f.s.depts[i].ID
	}
	if i := f.cat.SelectedIndex(); i > 0 && i <= len(f.s.cats) {
		p.CategoryID = f.s.cats[i-1].ID
	}
	active := f.active.Checked
	store := f.s.store
	f.write(func(ctx context.Context) error {
		if err := store.SaveProduct(ctx, p); err != nil {
			return err
		}
		if active != wasActive {
			return store.SetProductActive(ctx, p.ID, active)
		}
		return nil
	}, tr("catalogue.saved.product", map[string]any{"Code": p.Code}), func() {
		p.Active = active
		f.editing = &p
		f.heading.SetText(tr("catalogue.edit.product", map[string]any{"Code": p.Code}))
	})
}

// categoryForm edits a category: its name and its place on the sale screen.
type categoryForm struct {
	formBase
	name, position *tw.EscEntry
	editing        *checkout.Category
}

func newCategoryForm(s *catalogueScreen) *categoryForm {
	f := &categoryForm{name: newField(), position: newField()}
	var rows []fyne.CanvasObject
	rows = append(rows, labelled("catalogue.field.name", f.name)...)
	rows = append(rows, labelled("catalogue.field.position", f.position)...)
	f.formBase = newFormBase(s, rows...)
	f.fields = []fyne.Disableable{f.name, f.position}
	f.first = f.name
	f.clear()
	return f
}

func (f *categoryForm) choicesChanged() {}

func (f *categoryForm) clear() {
	f.editing = nil
	f.heading.SetText(tr("catalogue.new.category"))
	f.name.SetText("")
	f.position.SetText(strconv.Itoa(len(f.s.cats) + 1))
}

func (f *categoryForm) edit(item any) {
	c := item.(checkout.Category)
	f.editing = &c
	f.heading.SetText(tr("catalogue.edit.category", map[string]any{"Name": c.Name}))
	f.name.SetText(c.Name)
	f.position.SetText(strconv.Itoa(c.Position + 1))
}

func (f *categoryForm) save() {
	pos, err := strconv.Atoi(strings.TrimSpace(f.position.Text))
	if err != nil || pos < 1 {
		f.s.setMessage(tr("catalogue.bad.position"), true)
		return
	}
	c := checkout.Category{Name: strings.TrimSpace(f.name.Text), Position: pos - 1}
	if f.editing != nil {
		c.ID = f.editing.ID
	} else {
		c.ID = f.s.t.deps.NewID()
	}
	store := f.s.store
	f.write(func(ctx context.Context) error { return store.SaveCategory(ctx, c) },
		tr("catalogue.saved.category", map[string]any{"Name": c.Name}), func() { f.editing = &c })
}

// vatChoices are the Italian VAT rates a department can carry; 0 % needs a nature.
var vatChoices = []money.Rate{2200, 1000, 500, 400, 0}

var natures = []string{"N1", "N2", "N3", "N4", "N5", "N6", "N7"}

// departmentForm edits a department: its number on the printer, name, VAT rate or nature.
type departmentForm struct {
	formBase
	number, name *tw.EscEntry
	vat, nature  *widget.Select
	rates        []money.Rate // the rates offered, in vat's order
	editing      *checkout.Department
}

func newDepartmentForm(s *catalogueScreen) *departmentForm {
	f := &departmentForm{number: newField(), name: newField(), nature: widget.NewSelect(natures, nil)}
	f.vat = widget.NewSelect(nil, func(string) { f.natureFits() })
	f.setRates(0)
	var rows []fyne.CanvasObject
	rows = append(rows, labelled("catalogue.field.number", f.number)...)
	rows = append(rows, labelled("catalogue.field.name", f.name)...)
	rows = append(rows, labelled("catalogue.field.vat", f.vat)...)
	rows = append(rows, labelled("catalogue.field.nature", f.nature)...)
	f.formBase = newFormBase(s, rows...)
	f.fields = []fyne.Disableable{f.number, f.name, f.vat, f.nature}
	f.first = f.number
	f.clear()
	return f
}

// setRates offers the usual rates and, when it is not one of them, the department's own.
func (f *departmentForm) setRates(own money.Rate) {
	f.rates = append([]money.Rate(nil), vatChoices...)
	known := false
	for _, r := range f.rates {
		known = known || r == own
	}
	if !known {
		f.rates = append(f.rates, own)
	}
	var opts []string
	for _, r := range f.rates {
		opts = append(opts, r.String())
	}
	f.vat.SetOptions(opts)
}

// natureFits offers a nature only with a rate of 0 %, the only case the printer takes one.
func (f *departmentForm) natureFits() {
	if i := f.vat.SelectedIndex(); i >= 0 && f.rates[i] == 0 && !f.s.readOnly {
		f.nature.Enable()
		return
	}
	f.nature.ClearSelected()
	f.nature.Disable()
}

func (f *departmentForm) choicesChanged() {}

func (f *departmentForm) setReadOnly(ro bool) {
	f.formBase.setReadOnly(ro)
	if !ro {
		f.natureFits()
	}
}

func (f *departmentForm) clear() {
	f.editing = nil
	f.heading.SetText(tr("catalogue.new.department"))
	next := 1
	for _, d := range f.s.depts {
		next = max(next, d.Number+1)
	}
	f.number.SetText(strconv.Itoa(next))
	f.name.SetText("")
	f.setRates(0)
	f.vat.SetSelectedIndex(0)
	f.natureFits()
}

func (f *departmentForm) edit(item any) {
	d := item.(checkout.Department)
	f.editing = &d
	f.heading.SetText(tr("catalogue.edit.department", map[string]any{"Name": d.Name}))
	f.number.SetText(strconv.Itoa(d.Number))
	f.name.SetText(d.Name)
	f.setRates(d.VATRate)
	for i, r := range f.rates {
		if r == d.VATRate {
			f.vat.SetSelectedIndex(i)
		}
	}
	f.natureFits()
	if d.Nature != "" {
		f.nature.SetSelected(d.Nature)
	}
}

func (f *departmentForm) save() {
	n, err := strconv.Atoi(strings.TrimSpace(f.number.Text))
	if err != nil {
		f.s.setMessage(problemText(catalogue.Problem{Field: "number", Code: catalogue.ProblemMissing}), true)
		return
	}
	d := checkout.Department{Number: n, Name: strings.TrimSpace(f.name.Text), Nature: f.nature.Selected}
	if i := f.vat.SelectedIndex(); i >= 0 {
		d.VATRate = f.rates[i]
	}
	if f.editing != nil {
		d.ID = f.editing.ID
	} else {
		d.ID = f.s.t.deps.NewID()
	}
	store := f.s.store
	f.write(func(ctx context.Context) error { return store.SaveDepartment(ctx, d) },
		tr("catalogue.saved.department", map[string]any{"Name": d.Name}), func() { f.editing = &d })
}
