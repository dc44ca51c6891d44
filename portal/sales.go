package portal

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // the business day is Italian whatever the server's zone database holds
	"unicode/utf8"

	"github.com/google/uuid"

	"till/money"
)

// MaxBatch is the most sales one POST /api/v1/sales may carry (sync.md).
const MaxBatch = 500

var italy, _ = time.LoadLocation("Europe/Rome")

// sortableTime has a fixed width so that text order is time order (MAX, ORDER BY).
const sortableTime = "2006-01-02T15:04:05.000000000Z07:00"

// SaleResult is the outcome for one sale of a batch.
type SaleResult struct {
	ID     string `json:"id"`     // as the till sent it
	Status string `json:"status"` // "stored" or "duplicate"
}

// SaleConflictError is a sale whose id the portal already holds with other content (or
// holds for another till). Two sales cannot share an id, so one of them is wrong: the batch
// is refused whole and a person must look; a re-sent batch with the same content is not this.
type SaleConflictError struct {
	Index int    // position in the batch
	ID    string // canonical (lowercase) sale id
}

func (e *SaleConflictError) Error() string {
	return fmt.Sprintf("sales[%d]: sale %s is already stored with different content", e.Index, e.ID)
}

// The ingest rules (docs/portal.md): what a till could never have sent is refused before
// anything is stored, so the reports only ever add up sane amounts.
var (
	// earliestSale is before any sale a till of ours makes: every Italian shop sends its
	// receipts electronically since 1 January 2020.
	earliestSale = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	// saleMethods are the payment methods a till knows (sync.md).
	saleMethods = map[string]bool{"cash": true, "card": true, "coverflex": true}
)

// saleClockSlack is how far a till's clock may run ahead of the portal's.
const saleClockSlack = 24 * time.Hour

// saleFields are the parts of a sale the portal indexes; the rest is kept only in the body.
type saleFields struct {
	ID         string `json:"id"`
	TillID     string `json:"till_id"`
	CreatedAt  string `json:"created_at"`
	TotalCents *int64 `json:"total_cents"`
	Lines      []struct {
		QuantityMilli *int64 `json:"quantity_milli"`
		UnitCents     *int64 `json:"unit_cents"`
		// DiscountCents is what discounts took off the line (its own and its share of the
		// sale's); the line then adds gross − discount to total_cents.
		DiscountCents *int64 `json:"discount_cents"`
	} `json:"lines"`
	Payments []struct {
		Method      string `json:"method"`
		AmountCents *int64 `json:"amount_cents"`
		TerminalID  string `json:"terminal_id"`
	} `json:"payments"`
}

type parsedSale struct {
	saleFields
	key     string // the id in canonical form: lowercase
	created time.Time
	body    []byte
}

// parseSale checks one sale of a batch against every rule that does not depend on the clock
// (saleTimeError does that one).
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
	if hasNUL(raw) {
		return p, bad("", "text in a sale must not contain NUL characters")
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
	if *p.TotalCents < 0 || *p.TotalCents > int64(money.MaxAmount) {
		return p, bad("total_cents", fmt.Sprintf("total_cents must be between 0 and %d (%s), the most a till takes for one sale", money.MaxAmount, money.MaxAmount))
	}
	for j, l := range p.Lines {
		if msg := lineDiscountError(l.QuantityMilli, l.UnitCents, l.DiscountCents); msg != "" {
			return p, bad(fmt.Sprintf("lines[%d].discount_cents", j), msg)
		}
	}
	var paid int64 // at most 32 MiB of payments of at most MaxAmount each: no overflow
	for j, pay := range p.Payments {
		field := func(f string) string { return fmt.Sprintf("payments[%d].%s", j, f) }
		if !saleMethods[pay.Method] {
			return p, bad(field("method"), "method must be cash, card or coverflex")
		}
		if pay.AmountCents == nil {
			return p, bad(field("amount_cents"), "amount_cents is required, an integer number of cents")
		}
		if *pay.AmountCents <= 0 || *pay.AmountCents > int64(money.MaxAmount) {
			return p, bad(field("amount_cents"), fmt.Sprintf("amount_cents must be between 1 and %d", money.MaxAmount))
		}
		if !validName(pay.TerminalID, 64) {
			return p, bad(field("terminal_id"), "terminal_id must be at most 64 characters, no control characters")
		}
		paid += *pay.AmountCents
	}
	if paid != *p.TotalCents {
		return p, bad("payments", fmt.Sprintf("the payments add up to %d cents, the total is %d", paid, *p.TotalCents))
	}
	p.key = strings.ToLower(p.ID)
	p.created = created
	p.body = raw
	return p, nil
}

// maxLineQuantity bounds the quantity of a discounted line the portal checks (the till takes at
// most 9.999 pieces), which also keeps quantity × unit price far from overflowing.
const maxLineQuantity = 9_999_000

// lineDiscountError says what is wrong with a line's discount_cents, "" when it is absent or
// between 0 and the line's gross: quantity_milli × unit_cents / 1000, rounded half away from
// zero to the cent as the till rounds it.
func lineDiscountError(qty, unit, discount *int64) string {
	switch {
	case discount == nil:
		return ""
	case *discount < 0:
		return "discount_cents must be at least 0"
	case qty == nil || unit == nil || *qty <= 0 || *qty > maxLineQuantity || *unit < 0 || *unit > int64(money.MaxAmount):
		return fmt.Sprintf("a discounted line needs quantity_milli from 1 to %d and unit_cents from 0 to %d", maxLineQuantity, money.MaxAmount)
	}
	if gross := (*qty**unit + 500) / 1000; *discount > gross {
		return fmt.Sprintf("discount_cents %d is more than the line's %d cents (quantity_milli × unit_cents / 1000)", *discount, gross)
	}
	return ""
}

// saleTimeError refuses a sale made before any till of ours existed, or further in the
// future than a till's clock can be wrong by: a till with a clock set years off must be fixed,
// not have its sales land on days nobody looks at.
func saleTimeError(i int, p parsedSale, now time.Time) error {
	if p.created.Before(earliestSale) || p.created.After(now.Add(saleClockSlack)) {
		return &ValidationError{Field: fmt.Sprintf("sales[%d].created_at", i), Message: fmt.Sprintf(
			"created_at %s is outside the sane window (from %s to the portal's time plus %s): check the till's clock",
			p.CreatedAt, earliestSale.Format(time.DateOnly), saleClockSlack)}
	}
	return nil
}

// sameSale reports whether two bodies are the same sale: equal as JSON values (key order,
// spacing and escapes aside), with the sale ids compared in lowercase.
func sameSale(a, b []byte) bool {
	ca, errA := canonicalSale(a)
	cb, errB := canonicalSale(b)
	return errA == nil && errB == nil && bytes.Equal(ca, cb)
}

func canonicalSale(body []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // 1.0 and 1 stay different, and big integers exact
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if id, ok := v["id"].(string); ok {
		v["id"] = strings.ToLower(id)
	}
	return json.Marshal(v) // map keys sorted
}

// IngestSales stores a batch of sales from a till in one transaction: every sale is valid and
// the batch is stored, or nothing is. A sale already stored with the same content is a
// duplicate and changes nothing, so a till may resend a batch whose answer it lost; the same
// id with other content is a *SaleConflictError and refuses the batch.
func (s *Store) IngestSales(ctx context.Context, till TillIdentity, raws []json.RawMessage) ([]SaleResult, error) {
	if len(raws) > MaxBatch {
		return nil, &ValidationError{"sales", fmt.Sprintf("at most %d sales per batch", MaxBatch)}
	}
	sales := make([]parsedSale, len(raws))
	now := s.now()
	for i, raw := range raws {
		p, err := parseSale(i, raw, till)
		if err != nil {
			return nil, err
		}
		if err := saleTimeError(i, p, now); err != nil {
			return nil, err
		}
		sales[i] = p
	}
	var results []SaleResult
	// The till's contact is recorded in the batch's own transaction: a push costs one commit.
	err := s.inTx(ctx, func(tx *txConn) error {
		var err error
		if results, err = s.insertSales(ctx, tx, till, sales); err != nil {
			return err
		}
		return touchTill(ctx, tx, now, till.TillID, till.Pending, -1, true)
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
// RETURNING lists only the rows really inserted; every other sale must equal the one stored
// (or the earlier copy in the batch) to be a duplicate, else the batch is a conflict.
func (s *Store) insertSales(ctx context.Context, tx *txConn, till TillIdentity, sales []parsedSale) ([]SaleResult, error) {
	results := make([]SaleResult, len(sales))
	first := map[string]int{} // canonical id → index of its first copy in the batch
	var fresh []int
	for i, p := range sales {
		results[i] = SaleResult{ID: p.ID, Status: "duplicate"}
		if j, ok := first[p.key]; ok {
			if !sameSale(sales[j].body, p.body) {
				return nil, &SaleConflictError{Index: i, ID: p.key}
			}
			continue
		}
		first[p.key] = i
		fresh = append(fresh, i)
	}
	inserted := map[string]bool{}
	now := formatTime(s.now())
	for start := 0; start < len(fresh); start += insertChunk {
		chunk := fresh[start:min(start+insertChunk, len(fresh))]
		args := make([]any, 0, 9*len(chunk))
		for _, i := range chunk {
			p := sales[i]
			args = append(args, p.key, till.TillID, till.SalesPointID, till.AccountID, p.created.UTC().Format(sortableTime),
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
	var known []int
	var pays []any
	for _, i := range fresh {
		p := sales[i]
		if !inserted[p.key] {
			known = append(known, i)
			continue
		}
		results[i].Status = "stored"
		for j, pay := range p.Payments {
			pays = append(pays, p.key, j, pay.Method, *pay.AmountCents, pay.TerminalID)
		}
	}
	if err := checkKnownSales(ctx, tx, till, sales, known); err != nil {
		return nil, err
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

// checkKnownSales compares the sales of the batch whose id was already stored with what is
// stored: the same till and the same content make a duplicate, anything else a conflict.
func checkKnownSales(ctx context.Context, tx *txConn, till TillIdentity, sales []parsedSale, known []int) error {
	for start := 0; start < len(known); start += insertChunk {
		chunk := known[start:min(start+insertChunk, len(known))]
		args := make([]any, len(chunk))
		for k, i := range chunk {
			args[k] = sales[i].key
		}
		rows, err := tx.QueryContext(ctx, "SELECT id, till_id, body FROM sales WHERE id IN ("+
			strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")+")", args...)
		if err != nil {
			return fmt.Errorf("read stored sales: %w", err)
		}
		type stored struct{ till, body string }
		have := map[string]stored{}
		for rows.Next() {
			var id string
			var st stored
			if err := rows.Scan(&id, &st.till, &st.body); err != nil {
				rows.Close()
				return err
			}
			have[id] = st
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read stored sales: %w", err)
		}
		for _, i := range chunk {
			st, ok := have[sales[i].key]
			if !ok || st.till != till.TillID || !sameSale([]byte(st.body), sales[i].body) {
				return &SaleConflictError{Index: i, ID: sales[i].key}
			}
		}
	}
	return nil
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
	// Ids are stored lowercase; one stored before that rule keeps the case the till sent.
	err := s.db.QueryRowContext(ctx, "SELECT body FROM sales WHERE id IN (?, ?) AND account_id = ?",
		strings.ToLower(saleID), saleID, accountID).Scan(&body)
	if err == sql.ErrNoRows {
		return nil, ErrNotFound
	}
	return []byte(body), err
}
