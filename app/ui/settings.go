package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"till/app/config"
	tw "till/app/ui/internal/widget"
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
	merchant  *tw.EscEntry
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
	name, terminal, link *tw.EscEntry
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
	catalogueBtn := bigButton(tr("catalogue.open"), widget.MediumImportance, func() { t.cat.open() })
	viewButtons := container.NewGridWithColumns(3, bigButton(tr("back"), widget.MediumImportance, s.goBack), catalogueBtn, s.editBtn)
	if t.deps.Sync != nil {
		viewButtons = container.NewGridWithColumns(5, bigButton(tr("back"), widget.MediumImportance, s.goBack),
			bigButton(tr("sync.activate"), widget.MediumImportance, s.activate),
			bigButton(tr("sync.device.add"), widget.MediumImportance, s.registerDeviceDialog), catalogueBtn, s.editBtn)
	}
	s.viewBar = tall(viewButtons, minTouch)

	s.account = widget.NewCheck(tr("settings.edit.step1"), nil)
	s.visible = widget.NewCheck(tr("settings.edit.step2"), nil)
	s.merchant = newField()
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
