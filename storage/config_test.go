package storage

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"till/app/config"
)

// sampleConfig is the example of docs/spec/config.md at a given version.
func sampleConfig(version int64) *config.Document {
	tills := []config.Till{{ID: "till-1", Name: "Cassa 1"}, {ID: "till-2", Name: "Cassa 2"}}
	return &config.Document{
		Format: config.Format, Version: version,
		Account:    config.Account{ID: "acc-1", Name: "Bar Centrale S.r.l.", CoverflexEnabled: true},
		SalesPoint: config.SalesPoint{ID: "sp-1", Name: "Milano Centro", CoverflexVisible: true, CoverflexMerchantID: "CFX0001234"},
		Till:       tills[0], Tills: tills,
		PaymentDevices: []config.Device{
			{ID: "dev-1", Name: "POS banco", Model: config.ModelEMW, TerminalID: "12345678",
				Link: "tcp://192.168.1.50:9100", EnabledTills: []string{"till-1", "till-2"}},
			{ID: "dev-2", Name: "POS sala", Model: config.ModelEMWIT, TerminalID: "87654321",
				Link: "serial:///dev/ttyUSB0?baud=9600", EnabledTills: []string{"till-1"}, Profile: map[string]string{"lrc": "etx"}},
		},
	}
}

type auditRow struct{ actor, subject, detail string }

func configAudit(t *testing.T, db *DB) []auditRow {
	t.Helper()
	rows, err := db.sql.Query(`SELECT actor, subject, detail FROM audit_log WHERE action = 'config_saved' ORDER BY rowid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []auditRow
	for rows.Next() {
		var r auditRow
		if err := rows.Scan(&r.actor, &r.subject, &r.detail); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func TestLoadConfigWithNothingCachedReturnsNil(t *testing.T) {
	doc, at, err := openTemp(t).LoadConfig(context.Background())
	if doc != nil || !at.IsZero() || err != nil {
		t.Fatalf("LoadConfig = %v, %v, %v", doc, at, err)
	}
}

func TestSavedConfigComesBackWithItsTimeAndAnAuditRow(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	before := time.Now()
	want := sampleConfig(42)
	if err := db.SaveConfig(ctx, want, config.SourceFile); err != nil {
		t.Fatal(err)
	}
	got, at, err := db.LoadConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("loaded %+v\nwant %+v", got, want)
	}
	if at.Before(before.Add(-time.Second)) || at.After(time.Now().Add(time.Second)) {
		t.Fatalf("cached at %v, saved at about %v", at, before)
	}
	audit := configAudit(t, db)
	if len(audit) != 1 || audit[0].actor != "file" || audit[0].subject != "version 42" ||
		!strings.Contains(audit[0].detail, "replaced none") || !strings.Contains(audit[0].detail, "coverflex offered true") {
		t.Fatalf("audit %+v", audit)
	}
}

func TestSaveConfigAppliesTheVersionRuleOfEachSource(t *testing.T) {
	tests := []struct {
		name    string
		first   string // source of the cached version 42
		source  string
		version int64
		stale   bool
	}{
		{"a file replaces a newer version", config.SourceBackOffice, config.SourceFile, 7, false},
		{"a local edit bumps the version", config.SourceFile, config.SourceLocalEdit, 43, false},
		{"a local edit of the cached version is refused", config.SourceFile, config.SourceLocalEdit, 42, true},
		{"the back office moves forward", config.SourceBackOffice, config.SourceBackOffice, 43, false},
		{"the back office cannot go back", config.SourceBackOffice, config.SourceBackOffice, 41, true},
		{"the back office takes over a local edit", config.SourceLocalEdit, config.SourceBackOffice, 3, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openTemp(t)
			ctx := context.Background()
			if err := db.SaveConfig(ctx, sampleConfig(42), tt.first); err != nil {
				t.Fatal(err)
			}
			next := sampleConfig(tt.version)
			next.SalesPoint.CoverflexVisible = false
			err := db.SaveConfig(ctx, next, tt.source)
			if errors.Is(err, config.ErrStale) != tt.stale || (!tt.stale && err != nil) {
				t.Fatalf("SaveConfig = %v, want stale %v", err, tt.stale)
			}
			got, _, _ := db.LoadConfig(ctx)
			audit := configAudit(t, db)
			if tt.stale {
				if got.Version != 42 || !got.SalesPoint.CoverflexVisible || len(audit) != 1 {
					t.Fatalf("a refused document changed the cache: version %d, %d audit rows", got.Version, len(audit))
				}
				return
			}
			if got.Version != tt.version || got.SalesPoint.CoverflexVisible || len(audit) != 2 ||
				audit[1].actor != tt.source || !strings.Contains(audit[1].detail, "replaced version 42") {
				t.Fatalf("cached version %d, audit %+v", got.Version, audit)
			}
		})
	}
}

func TestSaveConfigRefusesInvalidDocumentsAndUnknownSources(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	if err := db.SaveConfig(ctx, sampleConfig(42), config.SourceFile); err != nil {
		t.Fatal(err)
	}
	bad := sampleConfig(43)
	bad.PaymentDevices[0].TerminalID = "123"
	var fe *config.FieldError
	if err := db.SaveConfig(ctx, bad, config.SourceFile); !errors.As(err, &fe) || fe.Field != "payment_devices[0].terminal_id" {
		t.Fatalf("invalid document: %v", err)
	}
	if err := db.SaveConfig(ctx, sampleConfig(43), "usb-stick"); err == nil {
		t.Fatal("unknown source accepted")
	}
	if err := db.SaveConfig(ctx, nil, config.SourceFile); err == nil {
		t.Fatal("nil document accepted")
	}
	if got, _, _ := db.LoadConfig(ctx); got.Version != 42 || len(configAudit(t, db)) != 1 {
		t.Fatalf("a refused document changed the cache: %+v", got)
	}
}

func TestSavingTheCachedDocumentAgainChangesNothing(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	if err := db.SaveConfig(ctx, sampleConfig(42), config.SourceFile); err != nil {
		t.Fatal(err)
	}
	_, first, _ := db.LoadConfig(ctx)
	if err := db.SaveConfig(ctx, sampleConfig(42), config.SourceFile); err != nil {
		t.Fatal(err)
	}
	if _, at, _ := db.LoadConfig(ctx); !at.Equal(first) || len(configAudit(t, db)) != 1 {
		t.Fatalf("cached at %v (was %v), %d audit rows", at, first, len(configAudit(t, db)))
	}
}

func TestCorruptedCachedConfigGivesAClearErrorAndCanBeReplaced(t *testing.T) {
	tests := []struct {
		name  string
		sql   string
		field string
	}{
		{"document not JSON", `UPDATE config SET document = '{"format": 1, "vers'`, "(document)"},
		{"document invalid", `UPDATE config SET document = replace(document, '12345678', '1234')`, "payment_devices[0].terminal_id"},
		{"version column differs", `UPDATE config SET version = 99`, "version"},
		{"time not a time", `UPDATE config SET fetched_at = 'yesterday'`, "fetched_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openTemp(t)
			ctx := context.Background()
			if err := db.SaveConfig(ctx, sampleConfig(42), config.SourceFile); err != nil {
				t.Fatal(err)
			}
			if _, err := db.sql.Exec(tt.sql); err != nil {
				t.Fatal(err)
			}
			doc, at, err := db.LoadConfig(ctx)
			var fe *config.FieldError
			if doc != nil || !at.IsZero() || !errors.Is(err, config.ErrInvalid) || !errors.As(err, &fe) || fe.Field != tt.field {
				t.Fatalf("LoadConfig = %v, %v, %v; want an invalid %s", doc, at, err, tt.field)
			}
			if !strings.Contains(err.Error(), "cached configuration version") {
				t.Fatalf("error does not say it is the cached configuration: %v", err)
			}
			// Nothing runs on an unreadable copy, so even a local edit of an older version replaces it.
			if tt.field != "fetched_at" {
				if err := db.SaveConfig(ctx, sampleConfig(1), config.SourceLocalEdit); err != nil {
					t.Fatal(err)
				}
				if doc, _, err := db.LoadConfig(ctx); err != nil || doc.Version != 1 {
					t.Fatalf("after replacing: %v, %v", doc, err)
				}
			}
		})
	}
}
