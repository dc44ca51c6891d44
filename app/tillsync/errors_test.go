package tillsync

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"till/app/boot"
	"till/app/config"
	"till/portal/portaltest"
)

// tillOn returns a till activated (in its database only) on a stand-in server, for answers
// the real portal does not give.
func tillOn(t *testing.T, h http.HandlerFunc) (*Client, *boot.Till) {
	t.Helper()
	srv := httptest.NewServer(h) // 127.0.0.1
	t.Cleanup(srv.Close)
	b := openTill(t)
	if err := b.DB.SaveActivation(context.Background(), srv.URL, "s3cr3t-device-value", "till-1", "sp-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	return &Client{DB: b.DB}, b
}

func TestAnswersAreClassifiedForTheUI(t *testing.T) {
	for _, tc := range []struct {
		status int
		kind   Kind
		is     error
	}{
		{http.StatusUnauthorized, KindRevoked, ErrRevoked},
		{http.StatusBadGateway, KindUnreachable, ErrUnreachable},
		{http.StatusServiceUnavailable, KindUnreachable, ErrUnreachable},
		{http.StatusGatewayTimeout, KindUnreachable, ErrUnreachable},
		{http.StatusInternalServerError, KindServer, ErrServer},
		{http.StatusBadRequest, KindRejected, ErrRejected},
	} {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			c, _ := tillOn(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				fmt.Fprint(w, `{"error": "some_code", "message": "text"}`)
			})
			_, err := c.Status(context.Background())
			var e *Error
			if !errors.As(err, &e) || e.Kind != tc.kind || !errors.Is(err, tc.is) || e.Code != "some_code" || e.Status != tc.status {
				t.Fatalf("status %d: %v", tc.status, err)
			}
			if strings.Contains(err.Error(), "s3cr3t") {
				t.Fatalf("the token is in the error: %v", err)
			}
		})
	}
}

func TestAConfigurationThatDoesNotPassIsNotCached(t *testing.T) {
	c, _ := tillOn(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"9"`)
		// till.id is not among tills: config.Validate refuses it.
		fmt.Fprint(w, `{"format": 1, "version": 9, "account": {"id": "a"}, "sales_point": {"id": "sp-1"},
			"till": {"id": "till-9"}, "tills": [{"id": "till-1"}], "payment_devices": []}`)
	})
	_, err := c.PullConfig(context.Background())
	if KindOf(err) != KindServer || !errors.Is(err, config.ErrInvalid) {
		t.Fatalf("pull of a bad document: %v", err)
	}
	if doc, _, _ := c.DB.LoadConfig(context.Background()); doc != nil {
		t.Fatalf("a bad document was cached: %+v", doc)
	}
	if st, _ := c.DB.LoadSyncState(context.Background()); st.ConfigETag != "" {
		t.Fatalf("ETag %s kept for a document not cached", st.ConfigETag)
	}
}

func TestAPortalThatAcknowledgesNothingLeavesTheOutboxAlone(t *testing.T) {
	c, b := tillOn(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"results": [{"id": "someone-else", "status": "stored"}]}`)
	})
	sell(t, b, 3)
	push, err := c.PushSales(context.Background())
	if KindOf(err) != KindServer || push.Pushed() != 0 || push.Pending != 3 {
		t.Fatalf("push %+v, %v", push, err)
	}
	items, _ := b.DB.OutboxBatch(context.Background(), "sale", 10)
	if len(items) != 3 || items[0].Attempts != 1 {
		t.Fatalf("outbox %+v", items)
	}
}

func TestDevicesAddedOnTheTillAppearInTheConfiguration(t *testing.T) {
	p := portaltest.Start(t)
	b := openTill(t)
	ctx := context.Background()
	c := activated(t, b, p, p.URL, 0)
	dev := Device{ID: "till-pos-2", Name: "POS cassa 1", Model: config.ModelEMWIT, Link: "tcp://127.0.0.1:9101"}
	if err := c.RegisterDevices(ctx, []Device{dev}); err != nil {
		t.Fatal(err)
	}
	// The owner gives it a Terminal ID in the portal's step 4: until then the portal serves it
	// with terminal_id "", which config.Validate refuses, and the till keeps its cached copy.
	err := p.Store.ConfigureDevice(ctx, p.Demo.AccountID, p.Demo.SalesPointID, dev.ID, "23456789", []string{p.Demo.Tills[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.PullConfig(ctx); err != nil {
		t.Fatal(err)
	}
	doc, _, _ := b.DB.LoadConfig(ctx)
	for _, d := range DevicesOf(doc) {
		if d == dev {
			return
		}
	}
	t.Fatalf("device not in the configuration: %+v", doc.PaymentDevices)
}
