package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"till/app/checkout"
	tw "till/app/ui/internal/widget"
)

// CustomerStore is where the customer form keeps the customers invoices are made out to.
type CustomerStore interface {
	// SaveCustomer inserts or updates c (by ID, a new one when empty), marks it just used and
	// returns it with its ID.
	SaveCustomer(ctx context.Context, c checkout.Customer) (checkout.Customer, error)
	// Customers lists up to limit saved customers, most recently used first.
	Customers(ctx context.Context, limit int) ([]checkout.Customer, error)
}

const (
	customersPerPage = 8
	customersLoaded  = 80 // ten pages: a shop invoices a few regulars
)

// customerFields are the form's fields in the order they are shown, typed and checked.
var customerFields = []string{
	checkout.FieldCompany, checkout.FieldName, checkout.FieldSurname, checkout.FieldVATNumber, checkout.FieldTaxCode,
	checkout.FieldAddress, checkout.FieldCAP, checkout.FieldCity, checkout.FieldProvince,
	checkout.FieldRecipientCode, checkout.FieldPEC,
}

// customerScreen asks who an invoice is for: a saved customer picked from the list (most
// recently used first), or a new one typed in the form. Unlike the keypad screens it uses
// ordinary text entries: customer data needs letters, and a physical keyboard is assumed for it
// (Tab or Enter moves to the next field).
type customerScreen struct {
	t        *Till
	store    CustomerStore
	onDone   func(checkout.Customer)
	onCancel func()

	root    fyne.CanvasObject
	list    *tw.Pager
	saved   []checkout.Customer
	picked  int    // index in saved of the customer in the form, -1 for none
	id      string // ID of the customer in the form, "" for a new one
	entries map[string]*tw.EscEntry
	message *widget.Label
	confirm *widget.Button
	back    *widget.Button
	clear   *widget.Button
	busy    bool
}

func newCustomerScreen(t *Till, store CustomerStore, onDone func(checkout.Customer), onCancel func()) *customerScreen {
	s := &customerScreen{t: t, store: store, onDone: onDone, onCancel: onCancel, picked: -1,
		entries: map[string]*tw.EscEntry{}}
	s.list = newPager(customersPerPage, s.renderCustomer, s.pick)
	form := container.New(layout.NewFormLayout())
	for i, f := range customerFields {
		e := tw.NewEscEntry(s.cancel)
		if i == len(customerFields)-1 {
			e.OnSubmitted = func(string) { s.doConfirm() }
		} else {
			next := customerFields[i+1]
			e.OnSubmitted = func(string) { s.t.win.Canvas().Focus(s.entries[next]) }
		}
		e.SetPlaceHolder(tr("customer.hint." + f))
		s.entries[f] = e
		form.Add(widget.NewLabel(tr("customer.field." + f)))
		form.Add(e)
	}
	s.message = widget.NewLabel("")
	s.message.Wrapping = fyne.TextWrapWord
	s.message.TextStyle = fyne.TextStyle{Bold: true}

	title := widget.NewLabelWithStyle(tr("customer.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = "subHeadingText"
	savedTitle := widget.NewLabelWithStyle(tr("customer.saved"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	left := container.NewBorder(savedTitle, nil, nil, nil, s.list.Content())
	split := container.NewHSplit(left, form)
	split.Offset = 0.34

	s.back = bigButton(tr("back"), widget.MediumImportance, s.cancel)
	s.clear = bigButton(tr("customer.new"), widget.MediumImportance, s.newCustomer)
	s.confirm = bigButton(tr("confirm"), widget.SuccessImportance, s.doConfirm)
	buttons := tall(container.NewGridWithColumns(3, s.back, s.clear, s.confirm), 72)
	s.root = container.NewBorder(title, container.NewVBox(s.message, buttons), nil, nil, split)
	return s
}

func (s *customerScreen) content() fyne.CanvasObject { return s.root }

// open empties the form and reloads the saved customers in the background.
func (s *customerScreen) open() {
	s.busy = false
	s.newCustomer()
	s.saved = nil
	s.list.SetCount(0, 0)
	s.setMessage(tr("loading"), false)
	s.refresh()
	s.t.bridge.run(func() func() {
		list, err := s.store.Customers(context.Background(), customersLoaded)
		return func() {
			if err != nil {
				s.setMessage(errorText(err), true)
				return
			}
			s.saved = list
			s.list.SetCount(len(list), 0)
			s.setMessage(tr("customer.intro"), false)
			if s.t.current == screen(s) {
				// Ready to type: keys typed with no field focused would be lost.
				s.t.win.Canvas().Focus(s.entries[customerFields[0]])
			}
		}
	})
}

func (s *customerScreen) renderCustomer(i int, r *tw.Row) {
	c := s.saved[i]
	id := c.VATNumber
	if id == "" {
		id = c.TaxCode
	}
	// All on the left: the row's right label does not take room back from a long left text.
	r.Set(strings.Join([]string{c.DisplayName(), id, c.City}, " · "), "", i == s.picked)
}

// pick fills the form with a saved customer; confirming updates that customer.
func (s *customerScreen) pick(i int) {
	if s.busy || i < 0 || i >= len(s.saved) {
		return
	}
	s.picked, s.id = i, s.saved[i].ID
	s.setForm(s.saved[i])
	s.list.Show(s.list.Page())
	s.setMessage(tr("customer.picked", map[string]any{"Name": s.saved[i].DisplayName()}), false)
}

// newCustomer empties the form for a customer not saved yet.
func (s *customerScreen) newCustomer() {
	if s.busy {
		return
	}
	s.picked, s.id = -1, ""
	s.setForm(checkout.Customer{})
	s.list.Show(s.list.Page())
	s.setMessage(tr("customer.intro"), false)
}

func (s *customerScreen) fields(c *checkout.Customer) map[string]*string {
	return map[string]*string{
		checkout.FieldCompany: &c.Company, checkout.FieldName: &c.Name, checkout.FieldSurname: &c.Surname,
		checkout.FieldVATNumber: &c.VATNumber, checkout.FieldTaxCode: &c.TaxCode, checkout.FieldAddress: &c.Address,
		checkout.FieldCAP: &c.CAP, checkout.FieldCity: &c.City, checkout.FieldProvince: &c.Province,
		checkout.FieldRecipientCode: &c.RecipientCode, checkout.FieldPEC: &c.PEC,
	}
}

func (s *customerScreen) setForm(c checkout.Customer) {
	for f, v := range s.fields(&c) {
		s.entries[f].SetText(*v)
	}
}

func (s *customerScreen) form() checkout.Customer {
	c := checkout.Customer{ID: s.id}
	for f, v := range s.fields(&c) {
		*v = s.entries[f].Text
	}
	return c
}

func (s *customerScreen) setMessage(text string, isError bool) {
	s.message.SetText(text)
	s.message.Importance = widget.MediumImportance
	if isError {
		s.message.Importance = widget.DangerImportance
	}
	s.message.Refresh()
}

func (s *customerScreen) refresh() {
	for _, b := range []*widget.Button{s.back, s.clear, s.confirm} {
		if s.busy {
			b.Disable()
		} else {
			b.Enable()
		}
	}
}

// doConfirm checks the form, shows the data as it will be stored (capitals, no spaces), and
// saves the customer in the background; onDone gets it with its ID.
func (s *customerScreen) doConfirm() {
	if s.busy {
		return
	}
	c := s.form()
	err := c.Validate()
	s.setForm(c)
	if err != nil {
		s.setMessage(customerErrorText(err), true)
		var ce *checkout.CustomerError
		if errors.As(err, &ce) && s.entries[ce.Field] != nil {
			s.t.win.Canvas().Focus(s.entries[ce.Field])
		}
		return
	}
	s.busy = true
	s.setMessage(tr("customer.saving"), false)
	s.refresh()
	s.t.bridge.run(func() func() {
		saved, err := s.store.SaveCustomer(context.Background(), c)
		return func() {
			s.busy = false
			s.refresh()
			if err != nil {
				s.setMessage(errorText(err), true)
				return
			}
			s.id = saved.ID
			s.onDone(saved)
		}
	})
}

func (s *customerScreen) cancel() {
	if s.busy {
		return
	}
	s.onCancel()
}

// customerErrorText names the wrong field and says what is expected, in the cashier's language.
func customerErrorText(err error) string {
	var ce *checkout.CustomerError
	if errors.As(err, &ce) {
		return tr("customer.err." + ce.Field + "." + ce.Reason)
	}
	return errorText(err)
}

// typedRune ignores typing outside the entries (open focuses the first one): a stray key must
// not change a field unseen.
func (s *customerScreen) typedRune(rune) {}

func (s *customerScreen) typedKey(k fyne.KeyName) {
	switch k {
	case fyne.KeyReturn, fyne.KeyEnter:
		s.doConfirm()
	case fyne.KeyEscape:
		s.cancel()
	}
}

// customerSummary is a one-line description of a customer for the payment screen.
func customerSummary(c checkout.Customer) string {
	parts := []string{c.DisplayName()}
	if c.VATNumber != "" {
		parts = append(parts, tr("customer.field.vatNumber")+" "+c.VATNumber)
	} else if c.TaxCode != "" {
		parts = append(parts, tr("customer.field.taxCode")+" "+c.TaxCode)
	}
	return strings.Join(parts, " · ")
}
