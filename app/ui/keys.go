package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The keyboard of the till. docs/keyboard.md lists the same keys for people; the help overlay
// (?) lists those of the screen shown.

// typedRune sends a character typed with no field focused to the open dialog on top, or, with
// none open, to the screen; ? opens the help of the screen.
func (t *Till) typedRune(r rune) {
	if m := t.topModal(); m != nil {
		m.typedRune(r)
		return
	}
	if r == helpRune {
		t.showHelp()
		return
	}
	t.current.typedRune(r)
}

// typedKey sends a key typed with no field focused to the open dialog on top, or to the screen:
// never to a screen under a dialog.
func (t *Till) typedKey(k fyne.KeyName) {
	if m := t.topModal(); m != nil {
		m.typedKey(k)
		return
	}
	t.current.typedKey(k)
}

// helpRune opens the help overlay: not a digit, nor a key of the keypads.
const helpRune = '?'

// functionKeys are F1 to F12, in order: on the sale screen the departments' keys.
var functionKeys = []fyne.KeyName{fyne.KeyF1, fyne.KeyF2, fyne.KeyF3, fyne.KeyF4, fyne.KeyF5, fyne.KeyF6,
	fyne.KeyF7, fyne.KeyF8, fyne.KeyF9, fyne.KeyF10, fyne.KeyF11, fyne.KeyF12}

// functionKey tells which function key k is: 0 for F1.
func functionKey(k fyne.KeyName) (int, bool) {
	for i, f := range functionKeys {
		if f == k {
			return i, true
		}
	}
	return 0, false
}

// keyHint is a line of the help overlay: a key and what it does.
type keyHint struct {
	key    string // shown as is ("F1") or, for keys with a name in words, translated (keys.enter)
	action string // translation key
}

// Keys named in words, in the till's language.
func enterKey() string { return tr("keys.enter") }
func escKey() string   { return tr("keys.esc") }

// screenKeys lists the keys of a screen, for its help.
func (t *Till) screenKeys(s screen) []keyHint {
	help := keyHint{string(helpRune), "keys.help.open"}
	switch s {
	case t.sale:
		return []keyHint{{"F1–F12", "keys.sale.department"}, {"0–9", "keys.sale.digits"}, {"X  *", "keys.sale.quantity"},
			{"⌫", "keys.backspace"}, {enterKey(), "keys.sale.pay"}, {escKey(), "keys.sale.clear.entry"}, help}
	case t.payment:
		return []keyHint{{"F1", "method.cash"}, {"F2", "method.card"}, {"F3", "method.coverflex"}, {"F4", "doc.receipt"},
			{"F5", "doc.invoice"}, {"0–9", "keys.payment.digits"}, {"⌫", "keys.backspace"}, {enterKey(), "keys.payment.confirm"},
			{escKey(), "keys.back"}, help}
	case t.prompt:
		return []keyHint{{"1–9", "keys.prompt.terminal"}, {escKey(), "keys.back"}, help}
	case t.exchange:
		return []keyHint{{escKey(), "keys.exchange.cancel"}, help}
	case t.customer:
		return []keyHint{{enterKey(), "keys.customer.confirm"}, {escKey(), "keys.back"}}
	case t.journal.closing:
		return []keyHint{{"0–9", "keys.close.digits"}, {"⌫", "keys.backspace"}, {escKey(), "keys.back"}, help}
	case t.settings:
		return []keyHint{{escKey(), "keys.settings.back"}, help}
	}
	return []keyHint{{escKey(), "keys.back"}, help}
}

// showHelp opens the keys of the screen shown. Esc or Enter closes it.
func (t *Till) showHelp() {
	// Two columns of keys, so the longest list fits the smallest screen (768 px high).
	hints := t.screenKeys(t.current)
	half := (len(hints) + 1) / 2
	columns := container.NewGridWithColumns(2)
	for _, part := range [][]keyHint{hints[:half], hints[half:]} {
		rows := container.New(layout.NewFormLayout())
		for _, h := range part {
			rows.Add(widget.NewLabelWithStyle(h.key, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true, Monospace: true}))
			action := widget.NewLabel(tr(h.action))
			action.Wrapping = fyne.TextWrapWord
			rows.Add(action)
		}
		columns.Add(container.NewVBox(rows))
	}
	dialogs := widget.NewLabel(tr("keys.help.dialogs"))
	dialogs.Wrapping = fyne.TextWrapWord
	var m *modal
	closeBtn := withKey(bigButton(tr("keys.help.close"), widget.MediumImportance, func() { m.close() }), escKey())
	m = t.openModal(tr("keys.help.title"), container.NewVBox(minWidth(760), columns, widget.NewSeparator(), dialogs,
		tall(closeBtn, minTouch)), modalKeys{enter: func() { m.close() }})
}

// helpButton opens the help of the screen: the keys are learnt from the screen.
func (t *Till) helpButton() *widget.Button {
	return widget.NewButtonWithIcon(tr("keys.help.button"), theme.HelpIcon(), t.showHelp)
}

// withKey shows, small in the top right corner of b, the key that does what b does: the
// cashier learns the keyboard from the screen. The button keeps its text, so a tap (or a test)
// finds it by name; no key, no corner.
func withKey(b fyne.CanvasObject, key string) fyne.CanvasObject {
	if key == "" {
		return b
	}
	return container.New(cornerLayout{}, b, newKeyCap(b, key))
}

// cornerLayout gives the first object all the room and puts the second in its top right
// corner, at its own size.
type cornerLayout struct{}

func (cornerLayout) MinSize(objects []fyne.CanvasObject) fyne.Size { return objects[0].MinSize() }

func (cornerLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	objects[0].Move(fyne.NewPos(0, 0))
	objects[0].Resize(size)
	c := objects[1].MinSize()
	inset := theme.Padding()
	objects[1].Move(fyne.NewPos(size.Width-c.Width-inset, inset))
	objects[1].Resize(c)
}

// keyCap is a key's name drawn as a small key cap. It shows only while the object it labels
// does: a hidden button takes its key away with it.
type keyCap struct {
	widget.BaseWidget
	of   fyne.CanvasObject
	text string
}

func newKeyCap(of fyne.CanvasObject, text string) *keyCap {
	k := &keyCap{of: of, text: text}
	k.ExtendBaseWidget(k)
	return k
}

// Visible follows the labelled object.
func (k *keyCap) Visible() bool { return k.of.Visible() && k.BaseWidget.Visible() }

func (k *keyCap) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	bg.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	bg.StrokeWidth = 1
	text := canvas.NewText(k.text, theme.Color(theme.ColorNameForeground))
	text.TextSize = theme.CaptionTextSize()
	text.TextStyle = fyne.TextStyle{Bold: true}
	return &keyCapRenderer{bg: bg, text: text}
}

type keyCapRenderer struct {
	bg   *canvas.Rectangle
	text *canvas.Text
}

func (r *keyCapRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	t := r.text.MinSize()
	r.text.Move(fyne.NewPos((size.Width-t.Width)/2, (size.Height-t.Height)/2))
	r.text.Resize(t)
}

func (r *keyCapRenderer) MinSize() fyne.Size {
	p := theme.Padding()
	return r.text.MinSize().AddWidthHeight(2*p, p)
}

func (r *keyCapRenderer) Refresh() {
	r.bg.FillColor = theme.Color(theme.ColorNameBackground)
	r.bg.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	r.text.Color = theme.Color(theme.ColorNameForeground)
	r.bg.Refresh()
	r.text.Refresh()
}

func (r *keyCapRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.bg, r.text} }
func (r *keyCapRenderer) Destroy()                     {}
