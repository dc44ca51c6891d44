package tillsync

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// Push is the outcome of PushSales.
type Push struct {
	Stored     int // sales the portal stored now
	Duplicates int // sales it already had (a batch whose answer was lost)
	Pending    int // sales still in the outbox afterwards
}

// Pushed is how many sales left the outbox.
func (p Push) Pushed() int { return p.Stored + p.Duplicates }

// PushSales sends the outbox oldest first in batches of at most MaxBatch until it is empty,
// and deletes each batch's acknowledged sales in one transaction once the portal answered
// 200. Nothing is deleted before that: a batch whose answer is lost is sent again, and the
// portal answers "duplicate" for what it already stored. Sales documented while pushing are
// taken too, within a bound, so a busy till cannot keep this call running for ever.
func (c *Client) PushSales(ctx context.Context) (Push, error) {
	var p Push
	pending, err := c.DB.OutboxCount(ctx)
	if err != nil {
		return p, err
	}
	rounds := pending/MaxBatch + 2
	for range rounds {
		n, stored, dup, err := c.pushBatch(ctx, MaxBatch)
		p.Stored += stored
		p.Duplicates += dup
		if err != nil || n < MaxBatch {
			p.Pending, _ = c.DB.OutboxCount(ctx)
			return p, err
		}
	}
	p.Pending, err = c.DB.OutboxCount(ctx)
	return p, err
}

// pushBatch sends one batch of up to limit outbox rows; n is how many were read.
func (c *Client) pushBatch(ctx context.Context, limit int) (n, stored, dup int, err error) {
	const op = "push sales"
	st, err := c.state(ctx)
	if err != nil {
		return 0, 0, 0, err
	}
	items, err := c.DB.OutboxBatch(ctx, "sale", limit)
	if err != nil || len(items) == 0 {
		return 0, 0, 0, err
	}
	sales := make([]json.RawMessage, 0, len(items))
	byRef := make(map[string][]string, len(items)) // sale id → outbox rows carrying it
	var ids []string
	for _, it := range items {
		sale, err := withTillID(it.Payload, st.TillID)
		if err != nil {
			return len(items), 0, 0, fmt.Errorf("push sales: outbox row %s (sale %s): %w", it.ID, it.RefID, err)
		}
		sales = append(sales, sale)
		byRef[it.RefID] = append(byRef[it.RefID], it.ID)
		ids = append(ids, it.ID)
	}
	body, err := json.Marshal(map[string][]json.RawMessage{"sales": sales})
	if err != nil {
		return len(items), 0, 0, err
	}
	if err := c.DB.NoteOutboxAttempt(ctx, ids); err != nil {
		return len(items), 0, 0, err
	}
	total, _ := c.DB.OutboxCount(ctx)
	resp, err := c.do(ctx, op, http.MethodPost, st.PortalURL+"/api/v1/sales", st.Token, body, func(r *http.Request) {
		r.Header.Set(pendingHeader, strconv.Itoa(total))
	})
	if err != nil {
		return len(items), 0, 0, err
	}
	var answer struct {
		Results []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"results"`
	}
	if err := decode(op, resp, &answer); err != nil {
		return len(items), 0, 0, err
	}
	var acked []string
	for _, r := range answer.Results {
		rows, ok := byRef[r.ID]
		if !ok || (r.Status != "stored" && r.Status != "duplicate") {
			continue // an id we did not send, or a status we do not know: keep the sale
		}
		delete(byRef, r.ID)
		acked = append(acked, rows...)
		if r.Status == "stored" {
			stored++
		} else {
			dup++
		}
	}
	if len(acked) == 0 {
		// Without this the caller would send the same batch again at once, for ever.
		return len(items), 0, 0, &Error{Kind: KindServer, Op: op, Status: resp.status,
			Message: fmt.Sprintf("the portal acknowledged none of %d sales", len(items))}
	}
	if _, err := c.DB.AckOutbox(ctx, acked); err != nil {
		return len(items), 0, 0, err
	}
	if err := c.DB.NoteSyncContact(ctx, c.now()); err != nil {
		return len(items), stored, dup, err
	}
	if len(byRef) > 0 {
		// Left in the outbox and sent again; say so rather than loop on a short batch.
		return len(items), stored, dup, &Error{Kind: KindServer, Op: op, Status: resp.status,
			Message: fmt.Sprintf("the portal did not acknowledge %d of %d sales", len(byRef), len(items))}
	}
	return len(items), stored, dup, nil
}

// withTillID fills till_id in a sale of the outbox, which is queued before the till knows its
// portal identity. Every other field keeps its value, unknown ones included.
func withTillID(payload []byte, tillID string) (json.RawMessage, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(payload, &fields); err != nil {
		return nil, err
	}
	id, _ := json.Marshal(tillID)
	fields["till_id"] = id
	return json.Marshal(fields)
}
