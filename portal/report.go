package portal

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/big"
	"time"
)

// DaySummary is one business day of an account's synced sales.
type DaySummary struct {
	Day        string // YYYY-MM-DD in Italy
	Sales      int64
	TotalCents int64
	ByMethod   map[string]int64 // payment method → cents
	// Overflow: a sum of the day does not fit in int64 cents and is shown capped. Only sales
	// stored before amounts were bounded at ingest can do that.
	Overflow bool
}

// SaleRow is one synced sale in the list of a day.
type SaleRow struct {
	ID         string
	TillName   string
	SalesPoint string
	CreatedAt  time.Time
	TotalCents int64
	Methods    map[string]int64
	Overflow   bool // a sum of its payments does not fit and is shown capped
}

// Sums in SQL would fail on overflow (SQLite raises an error, PostgreSQL's cast to BIGINT
// too), and one absurd row would then break the report for good. So each amount is summed as
// two halves, amount / 2³² and amount % 2³², which cannot overflow below 2³¹ rows, and the
// halves are joined here, capped and flagged when the total does not fit.
const (
	sumHalves = "CAST(SUM(%[1]s / 4294967296) AS BIGINT), CAST(SUM(%[1]s %% 4294967296) AS BIGINT)"
	halfShift = 32
)

// joinHalves is hi·2³² + lo, capped to int64 (ok false when capped).
func joinHalves(hi, lo int64) (int64, bool) {
	t := new(big.Int).Lsh(big.NewInt(hi), halfShift)
	t.Add(t, big.NewInt(lo))
	switch {
	case t.IsInt64():
		return t.Int64(), true
	case t.Sign() > 0:
		return math.MaxInt64, false
	default:
		return math.MinInt64, false
	}
}

// DaySummaries returns the account's most recent business days with sales, newest first.
func (s *Store) DaySummaries(ctx context.Context, accountID string, days int) ([]DaySummary, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT business_day, COUNT(*), `+fmt.Sprintf(sumHalves, "total_cents")+` FROM sales
		WHERE account_id = ? GROUP BY business_day ORDER BY business_day DESC LIMIT ?`, accountID, days)
	if err != nil {
		return nil, fmt.Errorf("day summaries: %w", err)
	}
	var out []DaySummary
	index := map[string]int{}
	for rows.Next() {
		d := DaySummary{ByMethod: map[string]int64{}}
		var hi, lo int64
		if err := rows.Scan(&d.Day, &d.Sales, &hi, &lo); err != nil {
			rows.Close()
			return nil, err
		}
		var ok bool
		d.TotalCents, ok = joinHalves(hi, lo)
		d.Overflow = !ok
		index[d.Day] = len(out)
		out = append(out, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	pay, err := s.db.QueryContext(ctx, `SELECT s.business_day, p.method, `+fmt.Sprintf(sumHalves, "p.amount_cents")+` FROM sale_payments p
		JOIN sales s ON s.id = p.sale_id WHERE s.account_id = ? AND s.business_day >= ?
		GROUP BY s.business_day, p.method`, accountID, out[len(out)-1].Day)
	if err != nil {
		return nil, fmt.Errorf("day totals by method: %w", err)
	}
	defer pay.Close()
	for pay.Next() {
		var day, method string
		var hi, lo int64
		if err := pay.Scan(&day, &method, &hi, &lo); err != nil {
			return nil, err
		}
		if i, ok := index[day]; ok {
			cents, fits := joinHalves(hi, lo)
			out[i].ByMethod[method] = cents
			out[i].Overflow = out[i].Overflow || !fits
		}
	}
	return out, pay.Err()
}

// SalesOfDay lists the account's sales of one business day, oldest first, at most limit.
func (s *Store) SalesOfDay(ctx context.Context, accountID, day string, limit int) ([]SaleRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT s.id, t.name, sp.name, s.created_at, s.total_cents FROM sales s
		JOIN tills t ON t.id = s.till_id JOIN sales_points sp ON sp.id = s.sales_point_id
		WHERE s.account_id = ? AND s.business_day = ? ORDER BY s.created_at, s.id LIMIT ?`, accountID, day, limit)
	if err != nil {
		return nil, fmt.Errorf("sales of %s: %w", day, err)
	}
	var out []SaleRow
	index := map[string]int{}
	for rows.Next() {
		r := SaleRow{Methods: map[string]int64{}}
		var created sql.NullString
		if err := rows.Scan(&r.ID, &r.TillName, &r.SalesPoint, &created, &r.TotalCents); err != nil {
			rows.Close()
			return nil, err
		}
		r.CreatedAt = parseTime(created)
		index[r.ID] = len(out)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	pay, err := s.db.QueryContext(ctx, `SELECT p.sale_id, p.method, `+fmt.Sprintf(sumHalves, "p.amount_cents")+` FROM sale_payments p
		JOIN sales s ON s.id = p.sale_id WHERE s.account_id = ? AND s.business_day = ? GROUP BY p.sale_id, p.method`, accountID, day)
	if err != nil {
		return nil, err
	}
	defer pay.Close()
	for pay.Next() {
		var id, method string
		var hi, lo int64
		if err := pay.Scan(&id, &method, &hi, &lo); err != nil {
			return nil, err
		}
		if i, ok := index[id]; ok {
			cents, fits := joinHalves(hi, lo)
			out[i].Methods[method] = cents
			out[i].Overflow = out[i].Overflow || !fits
		}
	}
	return out, pay.Err()
}
