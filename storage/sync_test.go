package storage

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestSyncStateIsEmptyUntilActivatedAndHidesTheToken(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	s, err := db.LoadSyncState(ctx)
	if err != nil || s.Activated() {
		t.Fatalf("fresh state %v, %v", s, err)
	}
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	if err := db.SaveActivation(ctx, "http://127.0.0.1:1", "secret-token", "till-1", "sp-1", at); err != nil {
		t.Fatal(err)
	}
	if err := db.NoteConfigPulled(ctx, `"7"`, at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := db.NoteSyncError(ctx, "portal unreachable", at.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	s, err = db.LoadSyncState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Activated() || s.Token != "secret-token" || s.TillID != "till-1" || s.SalesPointID != "sp-1" ||
		s.ConfigETag != `"7"` || !s.LastPullAt.Equal(at.Add(time.Minute)) || s.LastError != "portal unreachable" {
		t.Fatalf("state %+v", s)
	}
	if strings.Contains(s.String(), "secret-token") || strings.Contains(fmt.Sprint(s), "secret-token") {
		t.Fatalf("String() shows the token: %s", s)
	}
	var detail string
	if err := db.sql.QueryRow(`SELECT detail FROM audit_log WHERE action = 'activated'`).Scan(&detail); err != nil || strings.Contains(detail, "secret") {
		t.Fatalf("audit %q, %v", detail, err)
	}
	// A new activation forgets the old ETag: the new identity must pull the whole document.
	if err := db.SaveActivation(ctx, "http://127.0.0.1:2", "other", "till-2", "sp-1", at); err != nil {
		t.Fatal(err)
	}
	if s, _ = db.LoadSyncState(ctx); s.ConfigETag != "" || s.TillID != "till-2" || s.LastError != "" {
		t.Fatalf("after re-activation %+v", s)
	}
}

func TestOutboxBatchIsOldestFirstAndAckDeletesOnlyTheGivenRows(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	var ids []string
	for i := range 7 {
		id := NewID()
		ids = append(ids, id)
		// created_at deliberately out of order: the batch follows insertion order.
		_, err := db.sql.Exec(`INSERT INTO outbox(id, kind, ref_id, payload, created_at) VALUES (?,?,?,?,?)`,
			id, "sale", fmt.Sprintf("sale-%d", i), `{}`, formatTime(time.Now().Add(-time.Duration(i)*time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
	}
	batch, err := db.OutboxBatch(ctx, "sale", 5)
	if err != nil || len(batch) != 5 {
		t.Fatalf("batch %d, %v", len(batch), err)
	}
	for i, it := range batch {
		if it.ID != ids[i] || it.RefID != fmt.Sprintf("sale-%d", i) {
			t.Fatalf("batch[%d] = %+v", i, it)
		}
	}
	if err := db.NoteOutboxAttempt(ctx, []string{ids[0], ids[1]}); err != nil {
		t.Fatal(err)
	}
	if n, err := db.AckOutbox(ctx, []string{ids[1], ids[3], "not-there"}); err != nil || n != 2 {
		t.Fatalf("ack %d, %v", n, err)
	}
	batch, _ = db.OutboxBatch(ctx, "sale", 100)
	var got []string
	for _, it := range batch {
		got = append(got, it.RefID)
	}
	if strings.Join(got, ",") != "sale-0,sale-2,sale-4,sale-5,sale-6" || batch[0].Attempts != 1 {
		t.Fatalf("left %v (attempts %d)", got, batch[0].Attempts)
	}
	if n, _ := db.OutboxCount(ctx); n != 5 {
		t.Fatalf("count %d", n)
	}
}
