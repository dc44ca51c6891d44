package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2/widget"

	"till/app/config"
	"till/app/tillsync"
)

// SyncLink is the till's link to the back office as the screens see it.
type SyncLink interface {
	State() tillsync.State
	// Kick asks for a push now (after a sale is documented).
	Kick()
	// Activate spends a one-time code at the portal and starts syncing.
	Activate(ctx context.Context, portalURL, code string) error
	// RegisterDevice tells the portal about a terminal added on this till, so the owner can
	// give it its Terminal ID and enable tills in step 4.
	RegisterDevice(ctx context.Context, dev tillsync.Device) error
}

// SyncChanged shows the back office link's state; the syncer calls it from its goroutine.
func (t *Till) SyncChanged(s tillsync.State) {
	t.bridge.post(func() {
		t.sale.setSync(syncText(s), s.Activated && !s.Online)
		if s.ConfigVersion != t.sale.configVersion {
			t.sale.configVersion = s.ConfigVersion
			t.loadTitle() // a new configuration may rename the sales point or the till
		}
		if t.settings != nil {
			t.settings.setManaged(s.Activated) // an activated till takes its configuration from the portal
		}
	})
}

// syncText is the header's short status of the link: nothing before activation; online, with
// the sales still to send; offline since when (the till sells the same); revoked.
func syncText(s tillsync.State) string {
	if !s.Activated {
		return ""
	}
	data := map[string]any{"Since": s.OfflineSince.Local().Format("02/01 15:04")}
	switch {
	case s.ErrorKind == tillsync.KindRevoked:
		return tr("sync.revoked.short") + pendingText(s.Pending, "sync.kept")
	case s.Online:
		return tr("sync.online.short") + pendingText(s.Pending, "sync.to.send")
	default:
		return tr("sync.offline.short", data) + pendingText(s.Pending, "sync.to.send")
	}
}

// pendingText is " · 3 vendite da inviare", or nothing when no sale waits.
func pendingText(n int, key string) string {
	if n <= 0 {
		return ""
	}
	return " · " + trn(key, n, nil)
}

// activate asks the manager for the portal's address and the one-time code.
func (s *settingsScreen) activate() {
	link := s.t.deps.Sync
	if link == nil {
		return
	}
	url, code := newDialogEntry(), newDialogEntry()
	url.SetPlaceHolder("https://portale.example")
	items := []*widget.FormItem{widget.NewFormItem(tr("sync.portal"), url), widget.NewFormItem(tr("sync.code"), code)}
	s.t.openForm(form{title: tr("sync.activate"), items: items, onConfirm: func() {
		s.applyActivation(strings.TrimSpace(url.Text), strings.TrimSpace(code.Text))
	}})
}

func (s *settingsScreen) applyActivation(url, code string) {
	link := s.t.deps.Sync
	s.message.SetText(tr("sync.activating"))
	s.t.bridge.run(func() func() {
		err := link.Activate(context.Background(), url, code)
		return func() {
			if err != nil {
				s.message.SetText(tr("sync.activate.failed", map[string]any{"Error": errorText(err)}))
				return
			}
			s.setManaged(true)
			s.draft = nil
			s.showView()
			s.reload(tr("sync.activated"))
		}
	})
}

// registerDeviceDialog registers a payment terminal with the portal, as the seed describes: terminals are
// added from the till's own settings and configured in the portal.
func (s *settingsScreen) registerDeviceDialog() {
	link := s.t.deps.Sync
	if link == nil {
		return
	}
	name, addr := newDialogEntry(), newDialogEntry()
	addr.SetPlaceHolder("tcp://192.168.1.50:9100")
	model := widget.NewSelect([]string{config.ModelEMW, config.ModelEMWIT}, nil)
	model.SetSelected(config.ModelEMW)
	items := []*widget.FormItem{widget.NewFormItem(tr("sync.device.name"), name), widget.NewFormItem(tr("sync.device.model"), model),
		widget.NewFormItem(tr("sync.device.link"), addr)}
	s.t.openForm(form{title: tr("sync.device.add"), items: items, onConfirm: func() {
		s.registerDevice(tillsync.Device{ID: s.t.deps.NewID(), Name: strings.TrimSpace(name.Text), Model: model.Selected,
			Link: strings.TrimSpace(addr.Text)})
	}})
}

func (s *settingsScreen) registerDevice(dev tillsync.Device) {
	if dev.Name == "" || config.ValidLink(dev.Link) != nil {
		s.setMessage(tr("sync.device.invalid"), true)
		return
	}
	link := s.t.deps.Sync
	s.t.bridge.run(func() func() {
		err := link.RegisterDevice(context.Background(), dev)
		return func() {
			if err != nil {
				s.setMessage(tr("sync.device.failed", map[string]any{"Error": errorText(err)}), true)
				return
			}
			s.setMessage(tr("sync.device.done", map[string]any{"Name": dev.Name}), false)
		}
	})
}
