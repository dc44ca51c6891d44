package portal

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// DaySummary is one business day of an account's synced sales.
type DaySummary struct {
	Day        string // YYYY-MM-DD in Italy
	Sales      int64
	TotalCents int64
	ByMethod   map[string]int64 // payment method → cents
}

// SaleRow is one synced sale in the list of a day.
type SaleRow struct {
	ID         string
	TillName   string
	SalesPoint string
	CreatedAt  time.Time
	TotalCents int64
	Methods    map[string]int64
}

// DaySummaries returns the account's most recent business days with sales, newest first.
func (s *Store) DaySummaries(ctx context.Context, accountID string, days int) ([]DaySummary, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT business_day, COUNT(*), CAST(SUM(total_cents) AS BIGINT) FROM sales
		WHERE account_id = ? GROUP BY business_day ORDER BY business_day DESC LIMIT ?`, accountID, days)
	if err != nil {
		return nil, fmt.Errorf("day summaries: %w", err)
	}
	var out []DaySummary
	index := map[string]int{}
	for rows.Next() {
		d := DaySummary{ByMethod: map[string]int64{}}
		if err := rows.Scan(&d.Day, &d.Sales, &d.TotalCents); err != nil {
			rows.Close()
			return nil, err
		}
		index[d.Day] = len(out)
		out = append(out, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	pay, err := s.db.QueryContext(ctx, `SELECT s.business_day, p.method, CAST(SUM(p.amount_cents) AS BIGINT) FROM sale_payments p
		JOIN sales s ON s.id = p.sale_id WHERE s.account_id = ? AND s.business_day >= ?
		GROUP BY s.business_day, p.method`, accountID, out[len(out)-1].Day)
	if err != nil {
		return nil, fmt.Errorf("day totals by method: %w", err)
	}
	defer pay.Close()
	for pay.Next() {
		var day, method string
		var cents int64
		if err := pay.Scan(&day, &method, &cents); err != nil {
			return nil, err
		}
		if i, ok := index[day]; ok {
			out[i].ByMethod[method] = cents
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
	pay, err := s.db.QueryContext(ctx, `SELECT p.sale_id, p.method, CAST(SUM(p.amount_cents) AS BIGINT) FROM sale_payments p
		JOIN sales s ON s.id = p.sale_id WHERE s.account_id = ? AND s.business_day = ? GROUP BY p.sale_id, p.method`, accountID, day)
	if err != nil {
		return nil, err
	}
	defer pay.Close()
	for pay.Next() {
		var id, method string
		var cents int64
		if err := pay.Scan(&id, &method, &cents); err != nil {
			return nil, err
		}
		if i, ok := index[id]; ok {
			out[i].Methods[method] = cents
		}
	}
	return out, pay.Err()
}
