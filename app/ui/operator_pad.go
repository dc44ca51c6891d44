package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"till/app/checkout"
	"till/storage"
)

// pinPad asks an operator's PIN with an on-screen keypad, the digits shown as dots. The check
// runs off the UI goroutine (a PIN's hash takes tens of milliseconds) and goes through the
// store, which counts wrong PINs and writes the audit log. A refused PIN leaves the pad open
// with the reason; only an accepted one calls done.
type pinPad struct {
	t        *Till
	title    string
	manager  bool // only a manager's PIN is accepted
	canClose bool // Annulla is offered
	entry    string
	busy     bool // a check is running: taps wait for it
	done     func(checkout.Operator)

	dots    *widget.Label
	message *widget.Label
	dlg     *modal
}

// maxPINDigits is the longest PIN (storage.ValidPIN: 4 to 8 digits).
const maxPINDigits = 8

// openPIN shows a PIN pad titled title over the current screen. canCancel adds Annulla: the
// sign-in at start has none, since nothing can be done before an operator is known.
func (t *Till) openPIN(title, hint string, manager, canCancel bool, done func(checkout.Operator)) *pinPad {
	p := &pinPad{t: t, title: title, manager: manager, canClose: canCancel, done: done}
	p.dots = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true, Monospace: true})
	p.dots.SizeName = theme.SizeNameHeadingText
	p.message = widget.NewLabel("")
	p.message.Wrapping = fyne.TextWrapWord
	p.message.Importance = widget.DangerImportance
	help := widget.NewLabel(hint)
	help.Wrapping = fyne.TextWrapWord
	keys := keypad(p.digit, bigButton("⌫", widget.MediumImportance, p.backspace))
	ok := withKey(bigButton(tr("operator.pin.ok"), widget.SuccessImportance, p.submit), tr("keys.enter"))
	actions := container.NewGridWithColumns(1, ok)
	if canCancel {
		actions = container.NewGridWithColumns(2,
			withKey(bigButton(tr("operator.pin.cancel"), widget.MediumImportance, p.cancel), tr("keys.esc")), ok)
	}
	content := container.NewVBox(minWidth(400), help, p.dots, tall(keys, 4*minTouch),
		tall(p.message, 56), // two lines of reason, so the pad keeps its size
		tall(actions, minTouch))
	// The sign-in at start cannot be escaped: nothing can be done before an operator is known.
	p.dlg = t.newModal(title, content, modalKeys{enter: p.submit, escape: p.cancel, stay: !canCancel,
		char: p.typedRune, key: p.typedKey})
	t.pin = p
	p.refresh()
	p.dlg.show()
	return p
}

func (p *pinPad) refresh() {
	if p.entry == "" {
		p.dots.SetText("–")
		return
	}
	p.dots.SetText(strings.Repeat("●", len(p.entry)))
}

func (p *pinPad) digit(d string) {
	if p.busy {
		return
	}
	if len(p.entry)+len(d) > maxPINDigits {
		return
	}
	p.entry += d
	p.message.SetText("")
	p.refresh()
}

func (p *pinPad) backspace() {
	if p.busy || p.entry == "" {
		return
	}
	p.entry = p.entry[:len(p.entry)-1]
	p.refresh()
}

func (p *pinPad) close() {
	p.dlg.close()
	if p.t.pin == p {
		p.t.pin = nil
	}
}

func (p *pinPad) cancel() {
	if p.canClose && !p.busy {
		p.close()
	}
}

// submit checks the PIN typed. The entry is cleared whatever the answer: a PIN is never left
// on the screen for the next person.
func (p *pinPad) submit() {
	if p.busy {
		return
	}
	pin := p.entry
	p.entry = ""
	p.refresh()
	if !storage.ValidPIN(pin) {
		p.message.SetText(tr("operator.pin.length"))
		return
	}
	p.busy = true
	p.message.SetText(tr("operator.pin.checking"))
	t, manager := p.t, p.manager
	now := t.deps.Now()
	t.bridge.run(func() func() {
		op, err := t.deps.Store.CheckPIN(context.Background(), pin, manager, now)
		return func() {
			p.busy = false
			if err != nil {
				p.message.SetText(pinErrorText(err))
				return
			}
			p.message.SetText("")
			p.close()
			p.done(op)
		}
	})
}

// pinErrorText tells the person why a PIN was refused and what to do.
func pinErrorText(err error) string {
	var locked *storage.PINLockedError
	switch {
	case errors.As(err, &locked):
		return tr("operator.err.locked", map[string]any{"Until": locked.Until.Local().Format("15:04:05")})
	case errors.Is(err, storage.ErrNotManager):
		return tr("operator.err.not.manager")
	case errors.Is(err, storage.ErrWrongPIN):
		return tr("operator.err.wrong")
	case errors.Is(err, storage.ErrNoOperators):
		return tr("operator.err.none")
	}
	return errorText(err)
}

// typedRune takes the keyboard's digits while the pad is on top.
func (p *pinPad) typedRune(r rune) {
	if r >= '0' && r <= '9' {
		p.digit(string(r))
	}
}

// typedKey takes Backspace; the pad's dialog sends Enter and Esc to submit and cancel.
func (p *pinPad) typedKey(k fyne.KeyName) {
	if k == fyne.KeyBackspace {
		p.backspace()
	}
}
