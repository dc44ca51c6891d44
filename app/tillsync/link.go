package tillsync

import "context"

// Link joins a Client (activation, device registration) and the background Syncer, as the
// till's screens use them.
type Link struct {
	Client *Client
	Syncer *Syncer
}

// State is the syncer's current snapshot.
func (l Link) State() State { return l.Syncer.State() }

// Kick asks the syncer to push now.
func (l Link) Kick() { l.Syncer.Kick() }

// Activate spends a one-time code at the portal, then wakes the syncer to pull and push.
func (l Link) Activate(ctx context.Context, portalURL, code string) error {
	if _, err := l.Client.Activate(ctx, portalURL, code); err != nil {
		return err
	}
	l.Syncer.Kick()
	return nil
}

// RegisterDevice tells the portal about one terminal added on this till.
func (l Link) RegisterDevice(ctx context.Context, dev Device) error {
	return l.Client.RegisterDevices(ctx, []Device{dev})
}
