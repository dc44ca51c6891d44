package tillsync

import (
	"context"
	"errors"
	"io"
	"net/http"
	"reflect"
	"testing"

	"till/app/config"
	"till/portal/portaltest"
)

// portalDocument fetches the configuration as the portal serves it, for comparison.
func portalDocument(t *testing.T, c *Client) *config.Document {
	t.Helper()
	st, err := c.DB.LoadSyncState(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, st.PortalURL+"/api/v1/config", nil)
	req.Header.Set("Authorization", "Bearer "+st.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	doc, err := config.Parse(body)
	if err != nil {
		t.Fatalf("portal document: %v", err)
	}
	return doc
}

func TestActivateThenPullCachesThePortalsDocumentAndThenGets304(t *testing.T) {
	p := portaltest.Start(t)
	b := openTill(t)
	ctx := context.Background()
	c := activated(t, b, p, p.URL+"/", 0)
	st, _ := b.DB.LoadSyncState(ctx)
	if st.TillID != p.Demo.Tills[0].ID || st.SalesPointID != p.Demo.SalesPointID || st.PortalURL != p.URL {
		t.Fatalf("stored activation %s", st)
	}
	first, err := c.PullConfig(ctx)
	if err != nil || !first.Changed {
		t.Fatalf("first pull %+v, %v", first, err)
	}
	cached, _, err := b.DB.LoadConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := portalDocument(t, c); !reflect.DeepEqual(cached, want) {
		t.Fatalf("cached\n%+v\nportal\n%+v", cached, want)
	}
	if cached.Till.ID != st.TillID || !config.Coverflex(cached).Offered {
		t.Fatalf("cached document for till %s, coverflex %+v", cached.Till.ID, config.Coverflex(cached))
	}
	if st, _ = b.DB.LoadSyncState(ctx); st.ConfigETag == "" {
		t.Fatal("no ETag kept")
	}
	second, err := c.PullConfig(ctx)
	if err != nil || second.Changed || second.Version != first.Version {
		t.Fatalf("second pull %+v, %v; want 304 with version %d", second, err, first.Version)
	}
	// A change in the back office comes with the next pull.
	if err := p.Store.SetCoverflexEnabled(ctx, p.Demo.AccountID, false); err != nil {
		t.Fatal(err)
	}
	third, err := c.PullConfig(ctx)
	if err != nil || !third.Changed || third.Version <= first.Version {
		t.Fatalf("pull after a change %+v, %v", third, err)
	}
	if cached, _, _ = b.DB.LoadConfig(ctx); cached.Version != third.Version || config.Coverflex(cached).Offered {
		t.Fatalf("cached after change: version %d, coverflex %+v", cached.Version, config.Coverflex(cached))
	}
	// A file imported on the till replaces the cached copy: the next pull must not get a 304
	// for it, and brings the portal's document back.
	local := cached.Clone()
	local.Version = 1000
	local.SalesPoint.Name = "Modificato a mano"
	if err := b.DB.SaveConfig(ctx, local, config.SourceFile); err != nil {
		t.Fatal(err)
	}
	fourth, err := c.PullConfig(ctx)
	if err != nil || !fourth.Changed || fourth.Version != third.Version {
		t.Fatalf("pull after a file import %+v, %v", fourth, err)
	}
	if cached, _, _ = b.DB.LoadConfig(ctx); !reflect.DeepEqual(cached, portalDocument(t, c)) {
		t.Fatalf("cached after the file import and a pull: %+v", cached)
	}
}

func TestActivationCodeCanBeSpentOnce(t *testing.T) {
	p := portaltest.Start(t)
	b := openTill(t)
	activated(t, b, p, p.URL, 0)
	_, err := (&Client{DB: b.DB}).Activate(context.Background(), p.URL, p.Demo.Tills[0].ActivationCode)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindRejected || e.Code != "code_used" || e.Status != http.StatusConflict {
		t.Fatalf("second activation: %v", err)
	}
}

func TestAnswerLostMidBatchIsResentAndStoredExactlyOnce(t *testing.T) {
	p := portaltest.Start(t)
	f := startFront(t, p)
	b := openTill(t)
	ctx := context.Background()
	c := activated(t, b, p, f.URL(), 0)
	sell(t, b, 20)
	queueCopies(t, b.DB, template(t, b.DB), 680) // 700 sales: a full batch and a partial one
	f.dropSales.Store(1)
	_, err := c.PushSales(ctx)
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("push with the answer lost: %v", err)
	}
	if n := outboxCount(t, b.DB); n != 700 {
		t.Fatalf("outbox %d after a lost answer, want all 700 kept", n)
	}
	if got := received(t, p, c.tillID(t)); got != MaxBatch {
		t.Fatalf("portal holds %d, want the first batch of %d", got, MaxBatch)
	}
	push, err := c.PushSales(ctx)
	if err != nil || push.Duplicates != MaxBatch || push.Stored != 200 || push.Pending != 0 {
		t.Fatalf("resend %+v, %v", push, err)
	}
	if got := received(t, p, c.tillID(t)); got != 700 {
		t.Fatalf("portal holds %d, want 700", got)
	}
}

func TestSameBatchSentTwiceIsStoredOnce(t *testing.T) {
	p := portaltest.Start(t)
	b := openTill(t)
	ctx := context.Background()
	c := activated(t, b, p, p.URL, 0)
	sell(t, b, 5)
	items, err := b.DB.OutboxBatch(ctx, "sale", 100)
	if err != nil || len(items) != 5 {
		t.Fatalf("outbox %d, %v", len(items), err)
	}
	if push, err := c.PushSales(ctx); err != nil || push.Stored != 5 {
		t.Fatalf("first push %+v, %v", push, err)
	}
	// The same rows again, as if the deletion had been lost.
	for _, it := range items {
		_, err := b.DB.SQL().Exec(`INSERT INTO outbox(id, kind, ref_id, payload, created_at) VALUES (?,?,?,?,?)`,
			it.ID, it.Kind, it.RefID, string(it.Payload), "2026-11-27T10:00:00Z")
		if err != nil {
			t.Fatal(err)
		}
	}
	push, err := c.PushSales(ctx)
	if err != nil || push.Stored != 0 || push.Duplicates != 5 || push.Pending != 0 {
		t.Fatalf("second push %+v, %v", push, err)
	}
	if got := received(t, p, c.tillID(t)); got != 5 {
		t.Fatalf("portal holds %d, want 5", got)
	}
}

func TestRevokedTokenKeepsTheOutboxAndTheCachedConfiguration(t *testing.T) {
	p := portaltest.Start(t)
	b := openTill(t)
	ctx := context.Background()
	c := activated(t, b, p, p.URL, 0)
	pull, err := c.PullConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sell(t, b, 3)
	if err := p.Store.RevokeTillByID(ctx, c.tillID(t)); err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"pull":   func() error { _, err := c.PullConfig(ctx); return err },
		"push":   func() error { _, err := c.PushSales(ctx); return err },
		"status": func() error { _, err := c.Status(ctx); return err },
	} {
		if err := call(); !errors.Is(err, ErrRevoked) || KindOf(err) != KindRevoked {
			t.Fatalf("%s with a revoked token: %v", name, err)
		}
	}
	if n := outboxCount(t, b.DB); n != 3 {
		t.Fatalf("outbox %d, want the 3 sales kept", n)
	}
	doc, _, err := b.DB.LoadConfig(ctx)
	if err != nil || doc == nil || doc.Version != pull.Version {
		t.Fatalf("cached configuration after revocation: %v, %v", doc, err)
	}
}

func TestNotActivatedTillSaysSo(t *testing.T) {
	b := openTill(t)
	if _, err := (&Client{DB: b.DB}).PullConfig(context.Background()); !errors.Is(err, ErrNotActivated) {
		t.Fatalf("pull before activation: %v", err)
	}
}

func (c *Client) tillID(t *testing.T) string {
	t.Helper()
	st, err := c.DB.LoadSyncState(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st.TillID
}
