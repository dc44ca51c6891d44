package ui

import (
	"fmt"
	"sort"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"till/app/config"
	"till/fiscal"
	"till/money"
)

// promptScreen asks which terminal to use when several are enabled for this till: name and
// model, the last used first. It is asked at every payment and can be cancelled.
type promptScreen struct {
	t       *Till
	root    fyne.CanvasObject
	title   *widget.Label
	list    *fyne.Container
	devices []config.Device
	method  fiscal.PaymentMethod
	amount  money.Cents
}

func newPromptScreen(t *Till) *promptScreen {
	s := &promptScreen{t: t}
	s.title = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	s.title.SizeName = theme.SizeNameSubHeadingText
	s.list = container.NewGridWithColumns(1)
	back := bigButton(tr("back"), widget.MediumImportance, func() { t.show(t.payment) })
	s.root = container.NewBorder(s.title, tall(back, minTouch), nil, nil, container.NewVBox(s.list))
	return s
}

func (s *promptScreen) content() fyne.CanvasObject { return s.root }

func (s *promptScreen) open(method fiscal.PaymentMethod, amount money.Cents, devices []config.Device) {
	s.method, s.amount = method, amount
	s.devices = append([]config.Device(nil), devices...)
	sort.SliceStable(s.devices, func(i, j int) bool {
		return s.t.lastUsed[s.devices[i].ID].After(s.t.lastUsed[s.devices[j].ID])
	})
	s.title.SetText(tr("prompt.title", map[string]any{"Method": methodName(method), "Amount": amount.String()}))
	s.list.RemoveAll()
	for i, d := range s.devices {
		d := d
		key := ""
		if i < maxTerminalKeys {
			key = strconv.Itoa(i + 1) // the digit that chooses it
		}
		s.list.Add(tall(withKey(bigButton(fmt.Sprintf("%s\n%s · %s", d.Name, d.Model, d.TerminalID), widget.HighImportance,
			func() { s.t.exchange.start(s.method, s.amount, d) }), key), 80))
	}
	s.list.Refresh()
	s.t.show(s)
}

// maxTerminalKeys: the digits 1 to 9 choose the terminals shown in that place.
const maxTerminalKeys = 9

// typedRune: the digit N chooses the Nth terminal, as a tap on it does.
func (s *promptScreen) typedRune(r rune) {
	if r < '1' || r > '9' {
		return
	}
	if i := int(r - '1'); i < len(s.devices) {
		s.t.exchange.start(s.method, s.amount, s.devices[i])
	}
}

func (s *promptScreen) typedKey(k fyne.KeyName) {
	if k == fyne.KeyEscape {
		s.t.show(s.t.payment)
	}
}
