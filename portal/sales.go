package portal

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	_ "time/tzdata"
	"unicode/utf8" // the business day is Italian whatever the server's zone database holds

	"github.com/google/uuid"
)

// MaxBatch is the most sales one POST /api/v1/sales may carry (sync.md).
const MaxBatch = 500

var italy, _ = time.LoadLocation("Europe/Rome")

// sortableTime has a fixed width so that text order is time order (MAX, ORDER BY).
const sortableTime = "2006-01-02T15:04:05.000000000Z07:00"

// SaleResult is the outcome for one sale of a batch.
type SaleResult struct {
	ID     string `json:"id"`
	Status string `json:"status"` // "stored" or "duplicate"
}

// saleFields are the parts of a sale the portal indexes; the rest is kept only in the body.
type saleFields struct {
	ID         string `json:"id"`
	TillID     string `json:"till_id"`
	CreatedAt  string `json:"created_at"`
	TotalCents *int64 `json:"total_cents"`
	Payments   []struct {
		Method      string `json:"method"`
		AmountCents *int64 `json:"amount_cents"`
		TerminalID  string `json:"terminal_id"`
	} `json:"payments"`
}

type parsedSale struct {
	saleFields
	created time.Time
	body    []byte
}

func parseSale(i int, raw json.RawMessage, till TillIdentity) (parsedSale, error) {
	bad := func(field, msg string) error {
		return &ValidationError{Field: fmt.Sprintf("sales[%d].%s", i, field), Message: msg}
	}
	var p parsedSale
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
		return p, bad("", "a sale must be a JSON object")
	}
	// The body is kept as text; PostgreSQL refuses invalid UTF-8 and SQLite would keep garbage.
	if !utf8.Valid(raw) {
		return p, bad("", "a sale must be valid UTF-8")
	}
	if err := json.Unmarshal(raw, &p.saleFields); err != nil {
		return p, bad("", "malformed sale: "+err.Error())
	}
	if _, err := uuid.Parse(p.ID); err != nil || len(p.ID) != 36 {
		return p, bad("id", "id must be the sale's UUID made on the till")
	}
	if p.TillID != till.TillID {
		return p, bad("till_id", "till_id must be the id of the till sending the batch")
	}
	created, err := time.Parse(time.RFC3339Nano, p.CreatedAt)
	if err != nil {
		return p, bad("created_at", "created_at must be an RFC 3339 time")
	}
	if p.TotalCents == nil {
		return p, bad("total_cents", "total_cents is required, an integer number of cents")
	}
	for j, pay := range p.Payments {
		if pay.Method == "" || len(pay.Method) > 32 {
			return p, bad(fmt.Sprintf("payments[%d].method", j), "method is required (cash, card or coverflex)")
		}
		if pay.AmountCents == nil {
			return p, bad(fmt.Sprintf("payments[%d].amount_cents", j), "amount_cents is required, an integer number of cents")
		}
	}
	p.created = created
	p.body = raw
	return p, nil
}

// IngestSales stores a batch of sales from a till in one transaction: every sale is valid and
// the batch is stored, or nothing is. A sale whose id is already stored is a duplicate and
// changes nothing, so a till may resend a batch whose answer it lost.
func (s *Store) IngestSales(ctx context.Context, till TillIdentity, raws []json.RawMessage) ([]SaleResult, error) {
	if len(raws) > MaxBatch {
		return nil, &ValidationError{"sales", fmt.Sprintf("at most %d sales per batch", MaxBatch)}
	}
	sales := make([]parsedSale, len(raws))
	for i, raw := range raws {
		p, err := parseSale(i, raw, till)
		if err != nil {
			return nil, err
		}
		sales[i] = p
	}
	var results []SaleResult
	err := s.inTx(ctx, func(tx *txConn) error {
		var err error
		results, err = s.insertSales(ctx, tx, till, sales)
		return err
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// insertChunk rows go in one multi-row INSERT: one round trip instead of a hundred (it matters
// on PostgreSQL), and well under both databases' limits on parameters.
const insertChunk = 100

// insertSales writes the sales whose id is new, with their payments, and says which were new.
// RETURNING lists only the rows really inserted, so a sale already stored (or repeated in the
// batch) is a duplicate and nothing of it is written.
func (s *Store) insertSales(ctx context.Context, tx *txConn, till TillIdentity, sales []parsedSale) ([]SaleResult, error) {
	inserted := map[string]bool{}
	now := formatTime(s.now())
	for start := 0; start < len(sales); start += insertChunk {
		chunk := sales[start:min(start+insertChunk, len(sales))]
		args := make([]any, 0, 9*len(chunk))
		for _, p := range chunk {
			args = append(args, p.ID, till.TillID, till.SalesPointID, till.AccountID, p.created.UTC().Format(sortableTime),
				p.created.In(italy).Format(time.DateOnly), *p.TotalCents, string(p.body), now)
		}
		rows, err := tx.QueryContext(ctx, `INSERT INTO sales (id, till_id, sales_point_id, account_id, created_at,
			business_day, total_cents, body, received_at) VALUES `+placeholders(len(chunk), 9)+`
			ON CONFLICT (id) DO NOTHING RETURNING id`, args...)
		if err != nil {
			return nil, fmt.Errorf("store sales: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			inserted[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store sales: %w", err)
		}
	}
	results := make([]SaleResult, len(sales))
	var pays []any
	for i, p := range sales {
		results[i] = SaleResult{ID: p.ID, Status: "duplicate"}
		if !inserted[p.ID] {
			continue
		}
		delete(inserted, p.ID) // a second copy in the same batch is a duplicate
		results[i].Status = "stored"
		for j, pay := range p.Payments {
			pays = append(pays, p.ID, j, pay.Method, *pay.AmountCents, pay.TerminalID)
		}
	}
	for start := 0; start < len(pays); start += 5 * insertChunk {
		chunk := pays[start:min(start+5*insertChunk, len(pays))]
		_, err := tx.ExecContext(ctx, `INSERT INTO sale_payments (sale_id, seq, method, amount_cents, terminal_id)
			VALUES `+placeholders(len(chunk)/5, 5), chunk...)
		if err != nil {
			return nil, fmt.Errorf("store payments: %w", err)
		}
	}
	return results, nil
}

// placeholders returns "(?, ?), (?, ?)" for rows rows of cols columns.
func placeholders(rows, cols int) string {
	row := "(" + strings.Repeat("?, ", cols-1) + "?)"
	return strings.Repeat(row+", ", rows-1) + row
}

// TillStatus is the answer of GET /api/v1/status.
type TillStatus struct {
	TillID        string     `json:"till_id"`
	SalesReceived int64      `json:"sales_received"`
	LastSaleAt    *time.Time `json:"last_sale_at"`
	ConfigVersion int64      `json:"config_version"`
}

// Status tells a till what the portal holds of it.
func (s *Store) Status(ctx context.Context, till TillIdentity) (TillStatus, error) {
	st := TillStatus{TillID: till.TillID}
	var last sql.NullString
	err := s.db.QueryRowContext(ctx, "SELECT COUNT(*), MAX(created_at) FROM sales WHERE till_id = ?", till.TillID).
		Scan(&st.SalesReceived, &last)
	if err != nil {
		return TillStatus{}, fmt.Errorf("status of till %s: %w", till.TillID, err)
	}
	if last.Valid {
		t := parseTime(last)
		st.LastSaleAt = &t
	}
	if st.ConfigVersion, err = s.version(ctx, till.SalesPointID); err != nil {
		return TillStatus{}, err
	}
	return st, nil
}

// SaleBody returns a stored sale exactly as the till sent it, if it belongs to the account.
func (s *Store) SaleBody(ctx context.Context, accountID, saleID string) ([]byte, error) {
	var body string
	err := s.db.QueryRowContext(ctx, "SELECT body FROM sales WHERE id = ? AND account_id = ?", saleID, accountID).Scan(&body)
	if err == sql.ErrNoRows {
		return nil, ErrNotFound
	}
	return []byte(body), err
}
