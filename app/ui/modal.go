package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// modal is a dialog of the till. While it is the topmost open one it takes the keyboard: every
// key typed with no field focused goes to it and nothing reaches the screen it covers (Enter
// under "Annulla e storna" once issued a receipt underneath).
type modal struct {
	t    *Till
	dlg  dialog.Dialog
	keys modalKeys
	text *widget.Label // a question's text, for the dialogs made by ask
	ring *focusRing    // shows what has the keyboard in the dialog
}

// modalKeys is what a dialog does with the keyboard.
type modalKeys struct {
	enter  func()             // Enter: the dialog's primary action; nil does nothing
	escape func()             // Esc: its cancel or back; nil closes the dialog
	key    func(fyne.KeyName) // the other named keys (Backspace); nil ignores them
	char   func(rune)         // typed characters; nil ignores them
	stay   bool               // Esc does nothing: the dialog must be answered (the sign-in at start)
}

// newModal builds a dialog of the till around content, which holds its own buttons: big ones,
// in the till's language (fyne's are small and say "Yes"/"No"). It is not shown yet, so the
// caller may size it. The dialog's fields get its keys too (see dialogEntry).
func (t *Till) newModal(title string, content fyne.CanvasObject, keys modalKeys) *modal {
	m := &modal{t: t, keys: keys}
	m.ring = newFocusRing(t, content)
	m.dlg = dialog.NewCustomWithoutButtons(title, m.ring.root, t.win)
	m.dlg.SetOnClosed(func() { t.dropModal(m) })
	bindEntries(content, m)
	return m
}

// openModal builds a dialog and shows it: the one way the till opens a dialog.
func (t *Till) openModal(title string, content fyne.CanvasObject, keys modalKeys) *modal {
	m := t.newModal(title, content, keys)
	m.show()
	return m
}

// show puts the dialog on top of the others, where it takes the keyboard.
func (m *modal) show() {
	m.t.dropModal(m)
	m.t.modals = append(m.t.modals, m)
	m.dlg.Show()
}

// close hides the dialog; the keyboard goes back to the dialog under it, or to the screen.
func (m *modal) close() {
	m.t.dropModal(m)
	m.dlg.Hide()
}

// isOpen tells whether the dialog is shown.
func (m *modal) isOpen() bool {
	for _, o := range m.t.modals {
		if o == m {
			return true
		}
	}
	return false
}

func (t *Till) dropModal(m *modal) {
	for i, o := range t.modals {
		if o == m {
			t.modals = append(t.modals[:i], t.modals[i+1:]...)
			return
		}
	}
}

// topModal is the dialog that has the keyboard, if any.
func (t *Till) topModal() *modal {
	if len(t.modals) == 0 {
		return nil
	}
	return t.modals[len(t.modals)-1]
}

func (m *modal) typedKey(k fyne.KeyName) {
	switch k {
	case fyne.KeyReturn, fyne.KeyEnter:
		if m.keys.enter != nil {
			m.keys.enter()
		}
	case fyne.KeyEscape:
		m.escape()
	default:
		if m.keys.key != nil {
			m.keys.key(k)
		}
	}
}

func (m *modal) typedRune(r rune) {
	if m.keys.char != nil {
		m.keys.char(r)
	}
}

func (m *modal) escape() {
	switch {
	case m.keys.stay:
	case m.keys.escape != nil:
		m.keys.escape()
	default:
		m.close()
	}
}

// question is a yes/no question in a dialog.
type question struct {
	title, text string
	yes, no     string // the buttons' translation keys; "" for Sì and No
	// destructive says Yes does what cannot be undone (clear the sale, reverse its payments).
	// Enter then answers No: a habitual Enter, or the one a barcode scanner sends after every
	// code, must never destroy a sale, so Yes is only ever a tap.
	destructive bool
	onYes, onNo func()
}

// ask opens a question. Esc answers No; Enter answers Yes, or No when the question is
// destructive.
func (t *Till) ask(q question) *modal {
	if q.yes == "" {
		q.yes = "modal.yes"
	}
	if q.no == "" {
		q.no = "modal.no"
	}
	text := widget.NewLabel(q.text)
	text.Wrapping = fyne.TextWrapWord
	var m *modal
	answer := func(yes bool) func() {
		return func() {
			m.close()
			switch {
			case yes && q.onYes != nil:
				q.onYes()
			case !yes && q.onNo != nil:
				q.onNo()
			}
		}
	}
	yesImportance, yesHint, noHint := widget.SuccessImportance, tr("keys.enter"), tr("keys.esc")
	keys := modalKeys{enter: answer(true), escape: answer(false)}
	if q.destructive {
		yesImportance, yesHint, noHint = widget.DangerImportance, "", tr("keys.enter")+" · "+tr("keys.esc")
		keys.enter = answer(false)
	}
	buttons := tall(container.NewGridWithColumns(2,
		withKey(bigButton(tr(q.no), widget.MediumImportance, answer(false)), noHint),
		withKey(bigButton(tr(q.yes), yesImportance, answer(true)), yesHint)), minTouch)
	m = t.newModal(q.title, container.NewVBox(minWidth(440), text, buttons), keys)
	m.text = text
	m.show()
	return m
}

// confirm asks whether to do something that can be undone or asked again (print a copy):
// Sì, or the text of confirmKey, does it; Enter answers it too.
func (t *Till) confirm(title, message, confirmKey string, onConfirm func()) *modal {
	return t.ask(question{title: title, text: message, yes: confirmKey, onYes: onConfirm})
}

// form is a dialog of fields with Indietro and a confirm button.
type form struct {
	title     string
	items     []*widget.FormItem
	confirm   string // the confirm button's translation key; "" for CONFERMA
	onConfirm func()
	onBack    func() // nil: Indietro only closes
}

// openForm opens a form. Enter (in a field or not) confirms it, Esc goes back; both close it
// first. The first field takes the keyboard, so the person types into it at once.
func (t *Till) openForm(f form) *modal {
	if f.confirm == "" {
		f.confirm = "confirm"
	}
	var m *modal
	confirm := func() {
		m.close()
		f.onConfirm()
	}
	back := func() {
		m.close()
		if f.onBack != nil {
			f.onBack()
		}
	}
	buttons := tall(container.NewGridWithColumns(2,
		withKey(bigButton(tr("back"), widget.MediumImportance, back), tr("keys.esc")),
		withKey(bigButton(tr(f.confirm), widget.SuccessImportance, confirm), tr("keys.enter"))), minTouch)
	content := container.NewVBox(minWidth(480), widget.NewForm(f.items...), buttons)
	m = t.newModal(f.title, content, modalKeys{enter: confirm, escape: back})
	m.show()
	for _, it := range f.items {
		if e, ok := it.Widget.(*dialogEntry); ok {
			t.win.Canvas().Focus(e)
			break
		}
	}
	return m
}

// dialogEntry is a text field of a dialog. A focused field gets the keys before the window
// does, so it passes them on: Enter does the dialog's primary action, Esc its cancel.
type dialogEntry struct {
	widget.Entry
	modal *modal // set when the dialog is built
}

func newDialogEntry() *dialogEntry {
	e := &dialogEntry{}
	e.ExtendBaseWidget(e)
	e.OnSubmitted = func(string) {
		if e.modal != nil {
			e.modal.typedKey(fyne.KeyReturn)
		}
	}
	return e
}

// TypedKey sends Esc to the dialog and leaves every other key to the field.
func (e *dialogEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.modal != nil {
		e.modal.escape()
		return
	}
	e.Entry.TypedKey(k)
}

// bindEntries gives the dialog's fields to m.
func bindEntries(o fyne.CanvasObject, m *modal) {
	switch v := o.(type) {
	case *dialogEntry:
		v.modal = m
	case *fyne.Container:
		for _, c := range v.Objects {
			bindEntries(c, m)
		}
	case *widget.Form:
		for _, it := range v.Items {
			bindEntries(it.Widget, m)
		}
	}
}

// minWidth is an invisible spacer that keeps a dialog at least w wide.
func minWidth(w float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(w, 0))
	return r
}
