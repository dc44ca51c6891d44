package ui

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"till/app/config"
)

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
