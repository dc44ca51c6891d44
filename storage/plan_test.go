package storage

import (
	"context"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// plannedQuery is a query the till runs at start or on the way to a sale, with arguments to
// plan it with. whole names a table or index the query may read whole, where a comment says
// why that does not grow with the history; a partial index may always be read whole, since it
// holds only the rows of its condition (pending sales, unresolved attempts).
type plannedQuery struct {
	name  string
	sql   string
	args  []any
	whole string
	ctes  []string // names of the query's own tables (WITH), which it may scan
}

// startUpQueries are the queries of app/boot, of the window's start (recovery, sync status),
// of app/checkout's Recover, ResolveOpen, Preflight and PayElectronic, and the statements a sale
// writes, and the catalogue's listings (which read their tables whole: a catalogue does not grow
// with the history; the products on sale come through their partial index, already in order).
var startUpQueries = []plannedQuery{
	{name: "PendingSales", sql: pendingSalesSQL},
	{name: "PendingCount", sql: pendingCountSQL},
	{name: "UnresolvedAttempts", sql: unresolvedAttemptsSQL},
	{name: "BlockingAttempt", sql: blockingAttemptSQL, args: []any{"s", "12345678"}},
	{name: "SaleAttempts", sql: saleAttemptsSQL, args: []any{"s"}},
	{name: "Attempt", sql: attemptSQL, args: []any{"a"}},
	{name: "TerminalBaseline", sql: terminalBaselineSQL, args: []any{"12345678"}},
	{name: "DevicesLastUsed", sql: devicesLastUsedSQL, ctes: []string{"devices"}},
	{name: "LastReceipt", sql: lastReceiptSQL, args: []any{"DEMO0000001"}},
	{name: "LastReceiptSale", sql: lastReceiptSaleSQL},
	{name: "OutboxCount", sql: outboxCountSQL, whole: "sqlite_autoindex_outbox_1"},
	{name: "LoadConfig", sql: loadConfigSQL},
	{name: "SaveConfig's last source", sql: configSavedBySQL, args: []any{auditConfigSaved}},
	{name: "LoadSyncState", sql: loadSyncStateSQL},
	{name: "Customers", sql: customersSQL, args: []any{50}, whole: "customers_by_use"}, // stops at the limit
	{name: "CashTendered", sql: cashTenderedSQL, args: []any{"s"}},
	{name: "Sale", sql: saleSQL, args: []any{"s"}},
	{name: "Sale's lines", sql: saleLinesSQL, args: []any{"s"}},
	{name: "Sale's payments", sql: salePaymentsSQL, args: []any{"s"}},
	{name: "Sale's document", sql: saleDocumentSQL, args: []any{"s"}},
	{name: "LoadSale", sql: saleStartedSQL, args: []any{"s"}},
	{name: "Journal", sql: journalSQL, args: []any{"2025-03-01"}},
	{name: "Totals", sql: dayCountsSQL, args: []any{"2025-03-01"}},
	{name: "Totals per method", sql: dayByMethodSQL, args: []any{"2025-03-01"}},
	{name: "Totals per department", sql: dayByDepartmentSQL, args: []any{"2025-03-01"}},
	{name: "sale head", sql: saleHeadSQL, args: []any{"s"}},
	{name: "update sale", sql: updateSaleSQL, args: []any{1, "t", 0, 0, 0, 2, "s"}},
	{name: "delete lines", sql: deleteLinesSQL, args: []any{"s"}},
	{name: "delete cash", sql: deleteCashSQL, args: []any{"s"}},
	{name: "print intent", sql: printIntentSQL, args: []any{"t", 0, 0, "s"}},
	{name: "document sale", sql: documentSaleSQL, args: []any{"receipt", "t", "s"}},
	{name: "document cash", sql: documentCashSQL, args: []any{"t", "s"}},
	{name: "document attempt", sql: documentAttemptSQL, args: []any{"t", "a", "s"}},
	{name: "open attempts", sql: openAttemptsSQL, args: []any{"s"}},
	{name: "sale total", sql: saleTotalSQL, args: []any{"s"}},
	{name: "attempt state", sql: attemptStateSQL, args: []any{"a"}},
	{name: "record sale", sql: recordSaleSQL, args: []any{"s"}},
	{name: "record lines", sql: recordLinesSQL, args: []any{"s"}},
	{name: "record payments", sql: recordPaymentsSQL, args: []any{"s"}},
	{name: "record document", sql: recordDocumentSQL, args: []any{"s"}},
	{name: "update attempt", sql: updateAttemptSQL, args: []any{"sent", 1, "", "", "", "", "", "", "", "", "", "", "", "", "t", "a", "created"}},
	{name: "save baseline", sql: saveBaselineSQL, args: []any{"12345678", "000001", "", "t"}},
	{name: "chain head", sql: chainHeadSQL, whole: "audit_chain"}, // rowid order backwards, stops at the first
	{name: "chain sale", sql: chainSaleSQL, args: []any{"s"}},
	{name: "chain payment", sql: chainPaymentSQL, args: []any{"p"}},
	{name: "chain document", sql: chainDocumentSQL, args: []any{"d"}},
	{name: "chain audit", sql: chainAuditSQL, args: []any{"a"}},
	{name: "DayJournal's sales", sql: daySalesSQL, args: []any{"2025-03-01"}},
	{name: "DayJournal's lines", sql: dayLinesSQL, args: []any{"2025-03-01"}},
	{name: "DayJournal's payments", sql: dayPaymentsSQL, args: []any{"2025-03-01"}},
	{name: "DayJournal's documents", sql: dayDocumentsSQL, args: []any{"2025-03-01"}},
	{name: "OutboxBatch", sql: outboxBatchSQL, args: []any{"sale", 500}, whole: "outbox"}, // rowid order, stops at the limit
	{name: "Departments", sql: departmentsSQL, whole: "departments"},
	{name: "Categories", sql: categoriesSQL, whole: "categories"},
	{name: "Products", sql: productsSQL},
	{name: "Barcodes", sql: barcodesSQL, whole: "product_barcodes"},
}

// A plan line reading a table: SCAN or SEARCH, the table (or its alias), and how.
var planRead = regexp.MustCompile(`^(SCAN|SEARCH) (\S+)(?: USING (?:(?:COVERING )?INDEX (\S+)|(INTEGER PRIMARY KEY|ROWID).*))?`)

// Every query of start-up and of a sale reads through an index, on a database with a history:
// a full scan of a table is a cost that grows with every sale. The plans are SQLite's own
// choices without statistics (the till never runs ANALYZE), as in the shop.
func TestStartUpQueriesReadThroughIndexes(t *testing.T) {
	db := openTemp(t)
	fillHistory(t, db, 400)
	ctx := context.Background()
	partial := partialIndexes(t, db)
	for _, q := range startUpQueries {
		t.Run(q.name, func(t *testing.T) {
			rows, err := db.sql.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q.sql, q.args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			for _, line := range plan {
				if problem := readProblem(line, q, partial); problem != "" {
					t.Errorf("%s\nplan:\n  %s", problem, strings.Join(plan, "\n  "))
				}
			}
		})
	}
}

// readProblem says what is wrong with a plan line, "" when nothing is.
func readProblem(line string, q plannedQuery, partial map[string]bool) string {
	m := planRead.FindStringSubmatch(line)
	switch {
	case m == nil, m[1] == "SEARCH" && (m[3] != "" || m[4] != ""):
		return "" // not a read, or a search through a key
	case m[1] == "SCAN" && (strings.HasPrefix(m[2], "(") || contains(q.ctes, m[2])):
		return "" // the query's own rows, not a table
	case m[1] == "SCAN" && m[3] != "" && (partial[m[3]] || m[3] == q.whole):
		return ""
	case m[1] == "SCAN" && m[3] == "" && m[4] == "" && m[2] == q.whole:
		return ""
	}
	return "reads a whole table or index: " + line
}

func partialIndexes(t *testing.T, db *DB) map[string]bool {
	t.Helper()
	rows, err := db.sql.Query(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		out[name] = true
	}
	if !out["sales_pending"] || !out["payments_unresolved_by_sale"] {
		t.Fatalf("partial indexes %v", out)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// The plan check itself: it must catch a scan, or it proves nothing.
func TestPlanCheckCatchesScans(t *testing.T) {
	partial := map[string]bool{"sales_pending": true}
	for _, tt := range []struct {
		line string
		q    plannedQuery
		bad  bool
	}{
		{"SCAN sales", plannedQuery{}, true},
		{"SEARCH documents", plannedQuery{}, true}, // no index named: a min/max over the table
		{"SCAN payments USING INDEX payments_by_sale", plannedQuery{}, true},
		{"SCAN customers USING COVERING INDEX customers_by_use", plannedQuery{}, true},
		{"SCAN customers USING COVERING INDEX customers_by_use", plannedQuery{whole: "customers_by_use"}, false},
		{"SCAN sales USING INDEX sales_pending", plannedQuery{}, false},
		{"SEARCH sales USING INDEX sqlite_autoindex_sales_1 (id=?)", plannedQuery{}, false},
		{"SEARCH config USING INTEGER PRIMARY KEY (rowid=?)", plannedQuery{}, false},
		{"SCAN devices", plannedQuery{ctes: []string{"devices"}}, false},
		{"SCAN (subquery-1)", plannedQuery{}, false},
		{"USE TEMP B-TREE FOR ORDER BY", plannedQuery{}, false},
	} {
		if got := readProblem(tt.line, tt.q, partial) != ""; got != tt.bad {
			t.Errorf("%q with %+v: flagged %t, want %t", tt.line, tt.q, got, tt.bad)
		}
	}
}

// DevicesLastUsed and LastReceipt were rewritten to read through their indexes: they answer
// as the plain grouping and the two maxima they replace.
func TestRewrittenQueriesAnswerAsBefore(t *testing.T) {
	db := openTemp(t)
	fillHistory(t, db, 700)
	ctx := context.Background()
	used, err := db.DevicesLastUsed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.sql.Query(`SELECT device_id, max(created_at) FROM payments WHERE device_id <> '' GROUP BY device_id`)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Time{}
	for rows.Next() {
		var id, at string
		if err := rows.Scan(&id, &at); err != nil {
			t.Fatal(err)
		}
		want[id] = parseTime(at)
	}
	rows.Close()
	if len(want) < 2 || !reflect.DeepEqual(used, want) {
		t.Fatalf("DevicesLastUsed = %v, want %v", used, want)
	}

	for _, serial := range []string{"DEMO0000001", "OTHER"} {
		z, n, err := db.LastReceipt(ctx, serial)
		if err != nil {
			t.Fatal(err)
		}
		var wantZ, wantN int
		db.sql.QueryRow(`SELECT COALESCE(max(z_number), 0) FROM documents WHERE printer_serial = ?`, serial).Scan(&wantZ)
		db.sql.QueryRow(`SELECT COALESCE(max(doc_number), 0) FROM documents WHERE printer_serial = ? AND z_number = ?`, serial, wantZ).Scan(&wantN)
		if z != wantZ || n != wantN || (serial == "DEMO0000001" && (z < 2 || n < 1)) {
			t.Errorf("LastReceipt(%s) = %d, %d; want %d, %d", serial, z, n, wantZ, wantN)
		}
	}
}
