package config

import (
	"errors"
	"fmt"
	"slices"

	"till/pos"
)

// Where a document comes from. Storage records the source with every change, and the version
// rule (MayReplace) depends on it.
const (
	SourceFile       = "file"        // till -config PATH: an installer's explicit choice
	SourceLocalEdit  = "local-edit"  // the manager's settings screen, on a till with no back office
	SourceBackOffice = "back-office" // the sync pull from the portal
)

// ErrStale is returned when a document may not replace the cached one because of its version.
var ErrStale = errors.New("configuration is older than the cached one")

// Cached describes the copy a new document would replace.
type Cached struct {
	Version int64
	Source  string // the source that saved it; "" when unknown
}

// MayReplace applies the version rule before a document from source replaces the cached copy
// (nil when none is cached):
//   - a file may replace any version: importing a file is a deliberate act, and restoring an
//     older file must be possible;
//   - a local edit must carry a higher version than the cached one, because the screen bumps
//     the version it loaded: an equal or lower one means the cache changed while the manager
//     was editing, and saving would silently undo that change;
//   - the back office may not go back in version over its own earlier copy, so a late answer
//     never undoes a newer pull; over a file or a local edit it always wins, since the back
//     office is the authority once a till is managed by it.
func MayReplace(source string, incoming int64, cached *Cached) error {
	switch source {
	case SourceFile, SourceLocalEdit, SourceBackOffice:
	default:
		return fmt.Errorf("configuration source %q is not %q, %q or %q", source, SourceFile, SourceLocalEdit, SourceBackOffice)
	}
	if cached == nil {
		return nil
	}
	switch {
	case source == SourceLocalEdit && incoming <= cached.Version:
		return fmt.Errorf("local edit of version %d, but version %d is cached: %w", incoming, cached.Version, ErrStale)
	case source == SourceBackOffice && cached.Source == SourceBackOffice && incoming < cached.Version:
		return fmt.Errorf("back office version %d, but version %d is cached: %w", incoming, cached.Version, ErrStale)
	}
	return nil
}

// Check is Validate plus what pos says about each Coverflex device's profile overrides: a
// document the till runs on must pass both, and the portal checks every document it serves
// with it. It lives here rather than in Validate so that parsing stays free of terminal
// details, while every way in (file, local edit, sync) can ask for both. The profile of a
// device of another model is not read: pos has no profile for it, and the till never drives it.
func Check(d *Document) error {
	if err := d.Validate(); err != nil {
		return err
	}
	for i, dev := range d.PaymentDevices {
		if !CoverflexModel(dev.Model) {
			continue
		}
		field := fmt.Sprintf("payment_devices[%d].profile", i)
		p, err := pos.ProfileFor(dev.Model)
		if err == nil {
			_, err = p.With(dev.Profile)
		}
		if err != nil {
			return &FieldError{Field: field, Code: "profile", Problem: err.Error()}
		}
	}
	return nil
}

// Blank is the document a till starts from when nothing was ever imported and the manager
// edits locally: one till, nothing enabled, so Coverflex is not offered until the four steps
// are done.
func Blank() *Document {
	till := Till{ID: "till-1", Name: "Cassa 1"}
	return &Document{Format: Format, Till: till, Tills: []Till{till}}
}

// Clone returns a deep copy, so an edit can be abandoned without touching the original.
func (d *Document) Clone() *Document {
	c := *d
	c.Tills = slices.Clone(d.Tills)
	c.PaymentDevices = make([]Device, len(d.PaymentDevices))
	for i, dev := range d.PaymentDevices {
		dev.EnabledTills = slices.Clone(dev.EnabledTills)
		if dev.Profile != nil {
			p := make(map[string]string, len(dev.Profile))
			for k, v := range dev.Profile {
				p[k] = v
			}
			dev.Profile = p
		}
		c.PaymentDevices[i] = dev
	}
	if d.PaymentDevices == nil {
		c.PaymentDevices = nil
	}
	return &c
}

// EnabledFor tells whether the device may exchange amounts with the till.
func (dev Device) EnabledFor(tillID string) bool { return slices.Contains(dev.EnabledTills, tillID) }

// SetEnabledFor enables or disables the till on the device, leaving the other tills as they are.
func (dev *Device) SetEnabledFor(tillID string, on bool) {
	has := dev.EnabledFor(tillID)
	switch {
	case on && !has:
		dev.EnabledTills = append(dev.EnabledTills, tillID)
	case !on && has:
		dev.EnabledTills = slices.DeleteFunc(dev.EnabledTills, func(t string) bool { return t == tillID })
	}
}

// NewDeviceID returns an id no device of the document has, for a device added on the till.
func (d *Document) NewDeviceID() string {
	for n := len(d.PaymentDevices) + 1; ; n++ {
		id := fmt.Sprintf("local-%d", n)
		if !slices.ContainsFunc(d.PaymentDevices, func(dev Device) bool { return dev.ID == id }) {
			return id
		}
	}
}
