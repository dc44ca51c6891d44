package ui

import (
	"context"
	"reflect"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"till/app/config"
)

// startEdit copies the cached document (or a blank one) into the editing form.
func (s *settingsScreen) startEdit() {
	if s.busy || s.managed {
		return
	}
	if s.doc != nil {
		s.draft = s.doc.Clone()
	} else {
		s.draft = config.Blank()
	}
	s.account.SetChecked(s.draft.Account.CoverflexEnabled)
	s.visible.SetChecked(s.draft.SalesPoint.CoverflexVisible)
	s.merchant.SetText(s.draft.SalesPoint.CoverflexMerchantID)
	s.buildEditors()
	s.viewPane.Hide()
	s.viewBar.Hide()
	s.editPane.Show()
	s.editBar.Show()
	s.setMessage(tr("settings.edit.hint"), false)
	s.root.Refresh()
}

func (s *settingsScreen) cancelEdit() {
	if s.busy {
		return
	}
	s.draft = nil
	s.showView()
	s.setMessage("", false)
}

// buildEditors makes one form per device of the draft; forms are rebuilt only when a device is
// added or removed, after collect has kept what was typed.
func (s *settingsScreen) buildEditors() {
	s.deviceBox.RemoveAll()
	s.editors = nil
	for i, dev := range s.draft.PaymentDevices {
		models := []string{config.ModelEMW, config.ModelEMWIT}
		if !config.CoverflexModel(dev.Model) && dev.Model != "" {
			models = append(models, dev.Model) // kept as it is: editing must not lose another model's device
		}
		e := &deviceEditor{name: newField(), terminal: newField(), link: newField(),
			model:   widget.NewSelect(models, nil),
			enabled: widget.NewCheck(tr("settings.device.enable"), nil),
			remove:  bigButton(tr("settings.remove.device"), widget.DangerImportance, func() { s.removeDevice(i) })}
		e.name.SetText(dev.Name)
		e.terminal.SetText(dev.TerminalID)
		e.terminal.SetPlaceHolder("12345678")
		e.link.SetText(dev.Link)
		e.link.SetPlaceHolder("tcp://192.168.1.50:9100")
		if dev.Model != "" {
			e.model.SetSelected(dev.Model)
		}
		e.enabled.SetChecked(dev.EnabledFor(s.draft.Till.ID))
		form := container.NewGridWithColumns(2,
			container.New(layout.NewFormLayout(),
				widget.NewLabel(tr("settings.device.field.name")), tall(e.name, minTouch),
				widget.NewLabel(tr("settings.device.field.terminal_id")), tall(e.terminal, minTouch)),
			container.New(layout.NewFormLayout(),
				widget.NewLabel(tr("settings.device.field.model")), tall(e.model, minTouch),
				widget.NewLabel(tr("settings.device.field.link")), tall(e.link, minTouch)))
		heading := widget.NewLabelWithStyle(tr("settings.device.n", map[string]any{"N": i + 1}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		s.deviceBox.Add(container.NewVBox(widget.NewSeparator(), heading, form,
			container.NewGridWithColumns(2, tall(e.enabled, minTouch), tall(e.remove, minTouch))))
		s.editors = append(s.editors, e)
	}
	s.deviceBox.Refresh()
}

// collect copies the form into the draft.
func (s *settingsScreen) collect() {
	d := s.draft
	d.Account.CoverflexEnabled = s.account.Checked
	d.SalesPoint.CoverflexVisible = s.visible.Checked
	d.SalesPoint.CoverflexMerchantID = strings.TrimSpace(s.merchant.Text)
	for i, e := range s.editors {
		dev := &d.PaymentDevices[i]
		dev.Name = strings.TrimSpace(e.name.Text)
		dev.Model = e.model.Selected
		dev.TerminalID = strings.TrimSpace(e.terminal.Text)
		dev.Link = strings.TrimSpace(e.link.Text)
		dev.SetEnabledFor(d.Till.ID, e.enabled.Checked)
	}
}

// addDevice adds an empty device enabled for this till: a manager adding a terminal on the
// till itself almost always means to use it here.
func (s *settingsScreen) addDevice() {
	if s.draft == nil || s.busy {
		return
	}
	s.collect()
	s.draft.PaymentDevices = append(s.draft.PaymentDevices, config.Device{
		ID: s.draft.NewDeviceID(), Model: config.ModelEMW, EnabledTills: []string{s.draft.Till.ID}})
	s.buildEditors()
}

func (s *settingsScreen) removeDevice(i int) {
	if s.draft == nil || s.busy || i >= len(s.draft.PaymentDevices) {
		return
	}
	s.collect()
	s.draft.PaymentDevices = append(s.draft.PaymentDevices[:i:i], s.draft.PaymentDevices[i+1:]...)
	if len(s.draft.PaymentDevices) == 0 {
		s.draft.PaymentDevices = nil // as a document without devices reads back
	}
	s.buildEditors()
}

// save checks the edited document and, when it is valid, caches it with the next version in
// the background. A document with a problem is not saved: the message names the field.
func (s *settingsScreen) save() {
	if s.draft == nil || s.busy {
		return
	}
	s.collect()
	if s.doc != nil && reflect.DeepEqual(s.draft, s.doc) {
		s.draft = nil
		s.showView()
		s.setMessage(tr("settings.unchanged"), false)
		return
	}
	doc := s.draft.Clone()
	doc.Version = 1
	if s.doc != nil {
		doc.Version = s.doc.Version + 1
	}
	if err := config.Check(doc); err != nil {
		s.setMessage(ConfigErrorText(err), true)
		return
	}
	s.busy = true
	s.saveBtn.Disable()
	s.setMessage(tr("settings.saving"), false)
	s.t.bridge.run(func() func() {
		err := s.store.SaveConfig(context.Background(), doc, config.SourceLocalEdit)
		return func() {
			s.busy = false
			s.saveBtn.Enable()
			if err != nil {
				s.setMessage(ConfigErrorText(err), true)
				return
			}
			s.draft = nil
			s.showView()
			s.reload(tr("settings.saved", map[string]any{"Version": doc.Version}))
		}
	})
}
