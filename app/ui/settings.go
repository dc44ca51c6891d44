package ui

import (
	"context"
	"errors"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"till/app/config"
)

// ConfigStore keeps the till's cached configuration; *storage.DB implements it.
type ConfigStore interface {
	// LoadConfig returns the cached document and when it was cached; nil when there is none.
	LoadConfig(ctx context.Context) (*config.Document, time.Time, error)
	// SaveConfig replaces the cached document; source is one of config.Source*.
	SaveConfig(ctx context.Context, doc *config.Document, source string) error
}

// settingsScreen shows the manager how Coverflex is configured for this till, whether it is
// offered and, when not, what to do about each failing step of the portal. On a till that no
// back office manages, the manager can edit the same four steps here. Unlike the cashier's
// screens, editing uses ordinary text entries: a physical keyboard is assumed for the manager
// (Terminal IDs, links and the Merchant ID need letters and punctuation).
type settingsScreen struct {
	t       *Till
	store   ConfigStore
	onBack  func()
	managed bool // the back office manages this till: the configuration is edited in the portal only

	root    fyne.CanvasObject
	message *widget.Label

	viewPane  fyne.CanvasObject
	viewBar   fyne.CanvasObject
	status    *widget.Label
	failing   *widget.Label
	summary   *widget.Label
	devices   *widget.Label
	version   *widget.Label
	managedBy *widget.Label
	editBtn   *widget.Button

	editPane  fyne.CanvasObject
	editBar   fyne.CanvasObject
	account   *widget.Check
	visible   *widget.Check
	merchant  *widget.Entry
	deviceBox *fyne.Container
	editors   []*deviceEditor
	saveBtn   *widget.Button

	doc      *config.Document // the cached copy; nil when there is none or it is unreadable
	cachedAt time.Time
	draft    *config.Document // the copy being edited; nil when not editing
	busy     bool
}

// deviceEditor is the form of one payment device in edit mode.
type deviceEditor struct {
	name, terminal, link *widget.Entry
	model                *widget.Select
	enabled              *widget.Check
	remove               *widget.Button
}

func newSettingsScreen(t *Till, store ConfigStore, onBack func()) *settingsScreen {
	s := &settingsScreen{t: t, store: store, onBack: onBack}
	s.message = widget.NewLabel("")
	s.message.Wrapping = fyne.TextWrapWord
	s.message.TextStyle = fyne.TextStyle{Bold: true}
	title := widget.NewLabelWithStyle(tr("settings.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText

	s.status = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.status.SizeName = theme.SizeNameHeadingText
	s.status.Wrapping = fyne.TextWrapWord
	s.failing, s.summary, s.devices, s.version, s.managedBy =
		wrapped(), wrapped(), wrapped(), wrapped(), wrapped()
	s.managedBy.SetText(tr("settings.managed"))
	s.viewPane = container.NewVScroll(container.NewVBox(s.status, s.failing, widget.NewSeparator(),
		s.summary, s.devices, s.version, s.managedBy))
	s.editBtn = bigButton(tr("settings.edit"), widget.HighImportance, s.startEdit)
	viewButtons := container.NewGridWithColumns(2, bigButton(tr("back"), widget.MediumImportance, s.goBack), s.editBtn)
	if t.deps.Sync != nil {
		viewButtons = container.NewGridWithColumns(4, bigButton(tr("back"), widget.MediumImportance, s.goBack),
			bigButton(tr("sync.activate"), widget.MediumImportance, s.activate),
			bigButton(tr("sync.device.add"), widget.MediumImportance, s.registerDeviceDialog), s.editBtn)
	}
	s.viewBar = tall(viewButtons, minTouch)

	s.account = widget.NewCheck(tr("settings.edit.step1"), nil)
	s.visible = widget.NewCheck(tr("settings.edit.step2"), nil)
	s.merchant = widget.NewEntry()
	s.merchant.SetPlaceHolder("CFX0001234")
	s.deviceBox = container.NewVBox()
	s.editPane = container.NewVScroll(container.NewVBox(
		tall(s.account, minTouch), tall(s.visible, minTouch),
		widget.NewLabel(tr("settings.edit.step3")), tall(s.merchant, minTouch),
		widget.NewLabel(tr("settings.edit.step4")), s.deviceBox,
		tall(bigButton(tr("settings.add.device"), widget.MediumImportance, s.addDevice), minTouch)))
	s.saveBtn = bigButton(tr("settings.save"), widget.SuccessImportance, s.save)
	s.editBar = tall(container.NewGridWithColumns(2,
		bigButton(tr("settings.cancel"), widget.MediumImportance, s.cancelEdit), s.saveBtn), minTouch)

	s.root = container.NewBorder(title, container.NewVBox(s.message, container.NewStack(s.viewBar, s.editBar)),
		nil, nil, container.NewStack(s.viewPane, s.editPane))
	s.showView()
	return s
}

func wrapped() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	return l
}

func (s *settingsScreen) content() fyne.CanvasObject { return s.root }

// open shows the screen and loads the cached configuration in the background. Any edit left
// unsaved is dropped: the screen always opens on what the till runs on.
func (s *settingsScreen) open() {
	s.draft = nil
	s.showView()
	s.setMessage(tr("loading"), false)
	s.t.show(s)
	s.reload("")
}

// reload reads the cached copy in the background and shows it, then the message done.
func (s *settingsScreen) reload(done string) {
	s.t.bridge.run(func() func() {
		doc, at, err := s.store.LoadConfig(context.Background())
		return func() {
			s.doc, s.cachedAt = doc, at
			s.render()
			if err != nil {
				s.summary.SetText("") // not "nothing saved": there is a copy, and the message says what is wrong with it
				s.setMessage(tr("settings.err.cached", map[string]any{"Problem": ConfigErrorText(err)}), true)
				return
			}
			s.setMessage(done, false)
		}
	})
}

// setManaged says whether a back office manages this till. Local editing is then off, since
// the next pull would overwrite a local change.
func (s *settingsScreen) setManaged(managed bool) {
	s.managed = managed
	if managed && s.draft != nil {
		s.cancelEdit()
	}
	s.render()
}

// render fills the read-only view from the cached copy.
func (s *settingsScreen) render() {
	a := config.Coverflex(s.doc)
	if a.Offered {
		s.status.SetText(tr("settings.status.offered"))
		s.status.Importance = widget.SuccessImportance
	} else {
		s.status.SetText(tr("settings.status.not.offered"))
		s.status.Importance = widget.DangerImportance
	}
	s.status.Refresh()
	var lines []string
	for _, c := range a.Failing {
		lines = append(lines, "• "+conditionText(c))
	}
	if !a.Offered && !s.managed {
		lines = append(lines, tr("settings.edit.available"))
	}
	s.failing.SetText(strings.Join(lines, "\n"))
	s.summary.SetText(summaryText(s.doc))
	s.devices.SetText(devicesText(s.doc))
	if s.doc == nil {
		s.version.SetText("")
	} else {
		s.version.SetText(tr("settings.version", map[string]any{
			"Version": s.doc.Version, "At": s.cachedAt.Local().Format("02/01/2006 15:04")}))
	}
	if s.managed {
		s.managedBy.Show()
		s.editBtn.Hide()
	} else {
		s.managedBy.Hide()
		s.editBtn.Show()
	}
	s.root.Refresh()
}

func summaryText(d *config.Document) string {
	if d == nil {
		return tr("settings.none")
	}
	merchant := d.SalesPoint.CoverflexMerchantID
	if merchant == "" {
		merchant = "—"
	}
	return strings.Join([]string{
		tr("settings.account", map[string]any{"Name": d.Account.Name}),
		tr("settings.step1", map[string]any{"Value": yesNo(d.Account.CoverflexEnabled)}),
		tr("settings.sales.point", map[string]any{"Name": d.SalesPoint.Name}),
		tr("settings.step2", map[string]any{"Value": yesNo(d.SalesPoint.CoverflexVisible)}),
		tr("settings.step3", map[string]any{"Value": merchant}),
		tr("settings.till", map[string]any{"Name": d.Till.Name, "ID": d.Till.ID}),
	}, "\n")
}

func devicesText(d *config.Document) string {
	if d == nil {
		return ""
	}
	lines := []string{tr("settings.step4")}
	if len(d.PaymentDevices) == 0 {
		lines = append(lines, tr("settings.no.devices"))
	}
	for i, dev := range d.PaymentDevices {
		here := tr("settings.device.disabled")
		switch {
		case !config.CoverflexModel(dev.Model):
			here = tr("settings.device.not.coverflex") // listed, never used
		case dev.EnabledFor(d.Till.ID):
			here = tr("settings.device.enabled")
		}
		tid := dev.TerminalID
		if tid == "" {
			tid = "—" // only another model may have none
		}
		lines = append(lines, tr("settings.device", map[string]any{"N": i + 1, "Name": dev.Name, "Model": dev.Model,
			"TerminalID": tid, "Link": dev.Link, "Here": here}))
	}
	return strings.Join(lines, "\n")
}

func yesNo(b bool) string {
	if b {
		return tr("settings.yes")
	}
	return tr("settings.no")
}

func (s *settingsScreen) showView() {
	s.editPane.Hide()
	s.editBar.Hide()
	s.viewPane.Show()
	s.viewBar.Show()
	s.root.Refresh()
}

func (s *settingsScreen) goBack() {
	if !s.busy && s.onBack != nil {
		s.onBack()
	}
}

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
		e := &deviceEditor{name: widget.NewEntry(), terminal: widget.NewEntry(), link: widget.NewEntry(),
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

func (s *settingsScreen) setMessage(text string, isError bool) {
	s.message.SetText(text)
	s.message.Importance = widget.MediumImportance
	if isError {
		s.message.Importance = widget.DangerImportance
	}
	s.message.Refresh()
}

func (s *settingsScreen) typedRune(rune) {}

func (s *settingsScreen) typedKey(k fyne.KeyName) {
	if k != fyne.KeyEscape {
		return
	}
	if s.draft != nil {
		s.cancelEdit()
	} else {
		s.goBack()
	}
}

// conditionText tells the manager what to do in the portal about a failing condition.
func conditionText(c config.Condition) string { return tr("settings.condition." + string(c)) }

// ConfigErrorText says in the manager's language what is wrong with a configuration and what to
// do: the field in the manager's words and its path in the document, for a configuration
// refused on import, on load or on saving a local edit.
func ConfigErrorText(err error) string {
	var fe *config.FieldError
	switch {
	case errors.Is(err, config.ErrStale):
		return tr("settings.err.stale")
	case errors.As(err, &fe):
		fix := "settings.fix.other"
		if fixCodes[fe.Code] {
			fix = "settings.fix." + fe.Code
		}
		if name := fieldName(fe.Field); fe.Code == "format" && formatFixes[name] {
			fix = "settings.fix.format." + name
		}
		return tr("settings.field.error", map[string]any{"Field": fieldLabel(fe.Field), "Path": fe.Field,
			"Fix": tr(fix, map[string]any{"Problem": fe.Problem})})
	}
	return errorText(err)
}

// The FieldError codes, and the fields whose format has its own hint, that the translations
// know; anything else shows the English problem rather than a missing key.
var (
	fixCodes    = map[string]bool{"missing": true, "format": true, "duplicate": true, "unknown_till": true, "json": true, "profile": true}
	formatFixes = map[string]bool{"terminal_id": true, "link": true, "coverflex_merchant_id": true, "format": true, "version": true}
	fieldLabels = map[string]bool{"format": true, "version": true, "till.id": true, "tills": true,
		"sales_point.coverflex_merchant_id": true, "(document)": true, "fetched_at": true}
	deviceFields = map[string]bool{"name": true, "model": true, "terminal_id": true, "link": true, "enabled_tills": true, "profile": true}
)

var devicePath = regexp.MustCompile(`^payment_devices\[(\d+)\]\.([a-z_]+)`)

// fieldName is the last name of a field path: "payment_devices[0].terminal_id" → "terminal_id".
func fieldName(field string) string {
	if m := devicePath.FindStringSubmatch(field); m != nil {
		return m[2]
	}
	return field[strings.LastIndex(field, ".")+1:]
}

// fieldLabel names a field as the settings screen and the portal do: "POS 1 – Terminal ID".
func fieldLabel(field string) string {
	if m := devicePath.FindStringSubmatch(field); m != nil && deviceFields[m[2]] {
		n, _ := strconv.Atoi(m[1])
		return tr("settings.device.n", map[string]any{"N": n + 1}) + " – " + tr("settings.device.field."+m[2])
	}
	key := field
	if strings.HasPrefix(field, "tills[") {
		key = "tills"
	}
	if fieldLabels[key] {
		return tr("settings.field." + key)
	}
	return field
}
