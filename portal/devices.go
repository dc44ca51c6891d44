package portal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"till/app/config"
)

// Device is a payment terminal of a sales point, as the tills register it and the
// configuration document lists it: the document's own type, declared once in app/config.
type Device = config.Device

// Terminal models Coverflex works with; any other model is not a Coverflex device (config.md).
const (
	ModelIngenicoEMW   = config.ModelEMW
	ModelIngenicoEMWIT = config.ModelEMWIT
)

func printable(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// validateRegistration checks devices[i] of a till's request. The link is checked with the
// till's own rule (config.ValidLink, the function the till dials with): a link the portal
// stored and the till refused would make every till of the sales point refuse the whole
// configuration. The message goes back to the till, in English for its technician, and names
// the device and the problem. A model other than the Coverflex ones is accepted: such a device
// is kept, and simply not offered for Coverflex.
func validateRegistration(i int, d Device) error {
	fail := func(field, problem string) error {
		return &ValidationError{Field: fmt.Sprintf("devices[%d].%s", i, field), Message: fmt.Sprintf("device %q (%s): %s", d.ID, d.Name, problem)}
	}
	switch {
	case !printable(d.ID, 64):
		return fail("id", "the device id must be 1 to 64 printable characters")
	case !printable(d.Name, 100):
		return fail("name", "the device name must be 1 to 100 printable characters")
	case !printable(d.Model, 64):
		return fail("model", "the device model must be 1 to 64 printable characters")
	case len(d.Link) > 256:
		return fail("link", "the link is longer than 256 characters")
	}
	if err := config.ValidLink(d.Link); err != nil {
		return fail("link", err.Error())
	}
	return nil
}

// linkProblem tells the owner, in Italian, what is wrong with a device's stored link and what
// to write instead; "" when the till accepts the link. Only a link stored before the portal
// checked links can be wrong.
func linkProblem(link string) string {
	if config.ValidLink(link) == nil {
		return ""
	}
	return fmt.Sprintf("Indirizzo del terminale non valido: scrivere tcp://HOST:PORTA (porta 1–65535) oppure "+
		"serial:///dev/ttyUSB0?baud=9600 (ora è «%s»). Le casse non ricevono questo POS finché l'indirizzo non è "+
		"corretto: aggiungilo di nuovo dall'app di cassa, in Impostazioni › Pagamenti, con l'indirizzo giusto.", link)
}

// RegisterDevices adds or updates terminals a till added in its own payment settings. The
// Terminal ID and enabled tills stay as set in the portal.
func (s *Store) RegisterDevices(ctx context.Context, till TillIdentity, devices []Device) ([]Device, error) {
	for i, d := range devices {
		if err := validateRegistration(i, d); err != nil {
			return nil, err
		}
	}
	err := s.inTx(ctx, func(tx *txConn) error {
		changed := false
		for _, d := range devices {
			res, err := tx.ExecContext(ctx, `INSERT INTO payment_devices (sales_point_id, id, name, model, link, registered_by, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (sales_point_id, id) DO UPDATE SET name = excluded.name, model = excluded.model,
					link = excluded.link, registered_by = excluded.registered_by, updated_at = excluded.updated_at
				WHERE payment_devices.name <> excluded.name OR payment_devices.model <> excluded.model
					OR payment_devices.link <> excluded.link`,
				till.SalesPointID, d.ID, d.Name, d.Model, d.Link, till.TillID, formatTime(s.now()))
			if err != nil {
				return fmt.Errorf("register device %s: %w", d.ID, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				changed = true
			}
		}
		if changed {
			return bumpVersion(ctx, tx, till.SalesPointID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	all, err := s.Devices(ctx, till.SalesPointID, false)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, d := range devices {
		want[d.ID] = true
	}
	out := []Device{}
	for _, d := range all {
		if want[d.ID] {
			out = append(out, d)
		}
	}
	return out, nil
}

// Devices lists the terminals of a sales point, only the Coverflex models when coverflexOnly.
// The caller has checked the sales point's owner.
func (s *Store) Devices(ctx context.Context, salesPointID string, coverflexOnly bool) ([]Device, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, model, terminal_id, link FROM payment_devices
		WHERE sales_point_id = ? ORDER BY name, id`, salesPointID)
	if err != nil {
		return nil, fmt.Errorf("devices of %s: %w", salesPointID, err)
	}
	var out []Device
	for rows.Next() {
		var d Device
		if err := rows.Scan(&d.ID, &d.Name, &d.Model, &d.TerminalID, &d.Link); err != nil {
			rows.Close()
			return nil, err
		}
		if !coverflexOnly || config.CoverflexModel(d.Model) {
			d.EnabledTills = []string{}
			out = append(out, d)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	links, err := s.db.QueryContext(ctx, "SELECT device_id, till_id FROM device_tills WHERE sales_point_id = ? ORDER BY till_id", salesPointID)
	if err != nil {
		return nil, err
	}
	defer links.Close()
	index := map[string]int{}
	for i, d := range out {
		index[d.ID] = i
	}
	for links.Next() {
		var dev, till string
		if err := links.Scan(&dev, &till); err != nil {
			return nil, err
		}
		if i, ok := index[dev]; ok {
			out[i].EnabledTills = append(out[i].EnabledTills, till)
		}
	}
	return out, links.Err()
}

// ValidateTerminalID applies config.md: exactly 8 digits (config.ValidTerminalID).
func ValidateTerminalID(id string) error {
	if !config.ValidTerminalID(id) {
		return &ValidationError{"terminal_id", "Il Terminal ID deve essere composto da esattamente 8 cifre."}
	}
	return nil
}

// ConfigureDevice is step 4: the Terminal ID of one Coverflex terminal of the account's sales
// point and the tills of that sales point enabled to exchange amounts with it.
func (s *Store) ConfigureDevice(ctx context.Context, accountID, salesPointID, deviceID, terminalID string, tillIDs []string) error {
	terminalID = strings.TrimSpace(terminalID)
	if err := ValidateTerminalID(terminalID); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *txConn) error {
		var model, link, oldTerminal string
		err := tx.QueryRowContext(ctx, `SELECT d.model, d.link, d.terminal_id FROM payment_devices d
			JOIN sales_points sp ON sp.id = d.sales_point_id
			WHERE d.sales_point_id = ? AND d.id = ? AND sp.account_id = ?`, salesPointID, deviceID, accountID).Scan(&model, &link, &oldTerminal)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !config.CoverflexModel(model)) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		// A device the tills could not dial is not configured: it would never reach them.
		if msg := linkProblem(link); msg != "" {
			return &ValidationError{"link", msg}
		}
		var taken int
		err = tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM payment_devices WHERE sales_point_id = ? AND terminal_id = ? AND id <> ?",
			salesPointID, terminalID, deviceID).Scan(&taken)
		if err != nil {
			return err
		}
		if taken > 0 {
			return &ValidationError{"terminal_id", "Questo Terminal ID è già assegnato a un altro dispositivo del punto vendita."}
		}
		tills, err := sameSalesPointTills(ctx, tx, salesPointID, tillIDs)
		if err != nil {
			return err
		}
		old, err := enabledTills(ctx, tx, salesPointID, deviceID)
		if err != nil {
			return err
		}
		if oldTerminal == terminalID && strings.Join(old, ",") == strings.Join(tills, ",") {
			return nil // nothing changed: keep the version so tills need not download again
		}
		if _, err := tx.ExecContext(ctx, "UPDATE payment_devices SET terminal_id = ?, updated_at = ? WHERE sales_point_id = ? AND id = ?",
			terminalID, formatTime(s.now()), salesPointID, deviceID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM device_tills WHERE sales_point_id = ? AND device_id = ?", salesPointID, deviceID); err != nil {
			return err
		}
		for _, t := range tills {
			if _, err := tx.ExecContext(ctx, "INSERT INTO device_tills (sales_point_id, device_id, till_id) VALUES (?, ?, ?)",
				salesPointID, deviceID, t); err != nil {
				return err
			}
		}
		return bumpVersion(ctx, tx, salesPointID)
	})
}

// sameSalesPointTills returns the requested till ids sorted and deduplicated, refusing any that
// is not a till of the sales point (another account's till id must not be linkable).
func sameSalesPointTills(ctx context.Context, tx *txConn, salesPointID string, ids []string) ([]string, error) {
	set := map[string]bool{}
	for _, id := range ids {
		var one int
		err := tx.QueryRowContext(ctx, "SELECT 1 FROM tills WHERE id = ? AND sales_point_id = ?", id, salesPointID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, &ValidationError{"tills", "Una delle casse selezionate non appartiene a questo punto vendita."}
		}
		if err != nil {
			return nil, err
		}
		set[id] = true
	}
	out := make([]string, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	sort.Strings(out)
	return out, nil
}

func enabledTills(ctx context.Context, tx *txConn, salesPointID, deviceID string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, "SELECT till_id FROM device_tills WHERE sales_point_id = ? AND device_id = ? ORDER BY till_id",
		salesPointID, deviceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
