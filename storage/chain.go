package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"
)

// The audit chain (docs/audit.md). Every write of a record the issue names (a sale with its
// lines, a payment, a document, an audit_log row, and the kinds other parts register) appends
// an entry in the same transaction: the record's kind and id, a hash of its content as the till
// wrote it, and a hash over that and the previous entry's hash. Verify recomputes both: the
// content of each record's last entry from the rows as they are now, and every link.

// chainKind says how the content of one kind of record is read. The queries are frozen once
// entries exist: a column added to one would change the content of every record chained
// before. To cover a new column, register a new kind that reads it and chain it beside the old.
type chainKind struct {
	row      string // the record's row, by its id
	children string // the rows that belong to it, by its id, in a fixed order; "" when none
	// table, when set, must have every row in the chain: a row inserted with sqlite3 shows.
	table string
}

// What the chain reads of each kind: the fields of the sale, payment and document that the
// fiscal record and the back office depend on, not the bookkeeping that changes without a
// state change (updated_at, print intents, copies, the customer's last use).
const (
	// A sale with its lines in one query, the sale's columns on every line: one read per
	// entry, the cheapest for the sale's hot path.
	chainSaleSQL = `SELECT s.id, s.business_day, s.created_at, s.total_cents, s.state, s.document_kind, s.customer_id,
		s.discount_percent, s.discount_request_cents, s.discount_cents, s.operator_number,
		l.position, l.description, l.qty_milli, l.unit_cents, l.amount_cents, l.department_id, l.department_number,
		l.department_name, l.vat_rate, l.nature, l.product_id, l.discount_percent, l.discount_request_cents, l.discount_cents,
		l.sale_discount_cents
		FROM sales s LEFT JOIN sale_lines l ON l.sale_id = s.id WHERE s.id = ? ORDER BY l.position`
	chainPaymentSQL = `SELECT id, sale_id, method, amount_cents, requested_cents, tendered_cents, change_cents, state, terminal_id,
		merchant_id, masked_pan, auth_code, stan, acquirer_id, operation_number, reversal_stan, evidence FROM payments WHERE id = ?`
	chainDocumentSQL = `SELECT id, sale_id, kind, number, z_number, doc_number, issued_at, amount_cents, printer_serial, year, xml
		FROM documents WHERE id = ?`
	chainAuditSQL = `SELECT id, at, actor, action, subject, detail FROM audit_log WHERE id = ?`
	// A refund's or void's money shares move on their own (MoveMoney); the return's document
	// and lines are what the chain holds.
	chainReturnSQL = `SELECT id, kind, sale_id, original_number, original_kind, state, amount_cents, operator_number, number,
		z_number, doc_number, printer_serial, issued_at, year, xml FROM returns WHERE id = ?`
	chainReturnLinesSQL = `SELECT position, qty_milli, amount_cents FROM return_lines WHERE return_id = ? ORDER BY position`
	// A close: its states, the cash expected and counted, the open payments acknowledged, the Z,
	// and each terminal's totals and state (every write of them chains the close again).
	chainCloseSQL = `SELECT id, state, started_at, done_at, operator, cash_expected_cents, cash_counted, cash_counted_set,
		open_payments, differs, z_number, z_total_cents, z_evidence FROM closes WHERE id = ?`
	chainCloseTerminalsSQL = `SELECT terminal_id, device_id, name, shared, state, terminal_cents, host_cents, till_cents,
		coverflex_cents, card_cents, evidence FROM close_terminals WHERE close_id = ? ORDER BY terminal_id`
	chainHeadSQL   = `SELECT seq, hash FROM audit_chain ORDER BY seq DESC LIMIT 1`
	chainInsertSQL = `INSERT INTO audit_chain(seq, kind, ref_id, at, content_hash, prev_hash, hash) VALUES (?,?,?,?,?,?,?)`
)

// chainKinds maps each kind to its content. A kind chained without an entry here (another
// part's, before it registers) is covered by the links only; Verify counts it as unchecked.
var chainKinds = map[string]chainKind{
	"sale":     {row: chainSaleSQL, table: "sales"},
	"payment":  {row: chainPaymentSQL, table: "payments"},
	"document": {row: chainDocumentSQL, table: "documents"},
	"audit":    {row: chainAuditSQL},
	"refund":   {row: chainReturnSQL, children: chainReturnLinesSQL},
	"void":     {row: chainReturnSQL, children: chainReturnLinesSQL},
	"close":    {row: chainCloseSQL, children: chainCloseTerminalsSQL},
}

// chainCovered is the order in which sealing the genesis chains the records a file held
// before the chain existed: sales before their payments and documents.
var chainCovered = []string{"sale", "payment", "document"}

// chainQueries are the chain's statements for hotQueries: every sale appends entries.
var chainQueries = []string{chainSaleSQL, chainPaymentSQL, chainDocumentSQL, chainAuditSQL, chainHeadSQL, chainInsertSQL}

const genesisKind = "genesis"

// absentHash is the content hash of a record that does not exist: deleted by the till (a
// discarded sale, a cash payment replaced) or of a kind with no reader.
var absentHash = contentHash(nil)

// chainTx is what appending needs of a transaction: *sql.Tx and txn both are one.
type chainTx interface {
	execer
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// chainAppend links the record (kind, id) into the tamper-evident audit chain, in the caller's
// transaction, with its content as the transaction sees it now: call it after the record's
// last write in the transaction. Every write of a sale, a payment state change, a document,
// a refund or void, a close and a manual resolution calls it; a deleted record is chained
// too, as absent.
//
// tx is an execer for the callers written before the chain; every transaction of this
// package (*sql.Tx, txn) also reads, which the chain needs.
func chainAppend(ctx context.Context, tx execer, kind, id string) error {
	return chainRecords(ctx, tx, chainRef{kind, id})
}

// chainRef names a record to chain.
type chainRef struct{ kind, id string }

// chainRecords chains several records written in one transaction, in order, reading the
// chain's head once: a sale appends five entries, and reading the head for each was a fifth
// of their cost.
func chainRecords(ctx context.Context, tx execer, refs ...chainRef) error {
	if len(refs) == 0 {
		return nil
	}
	q, ok := tx.(chainTx)
	if !ok {
		return fmt.Errorf("chain: %T cannot read the chain", tx)
	}
	head, err := chainHead(ctx, q)
	if err != nil {
		return fmt.Errorf("chain: %w", err)
	}
	now := time.Now()
	for _, r := range refs {
		if err := head.append(ctx, q, r.kind, r.id, now); err != nil {
			return fmt.Errorf("chain %s %s: %w", r.kind, r.id, err)
		}
	}
	return nil
}

// documentedRefs are the records documenting a sale writes: the sale, the payments moved to
// documented, the document.
func documentedRefs(saleID string, payments []string, documentID string) []chainRef {
	refs := make([]chainRef, 0, len(payments)+2)
	refs = append(refs, chainRef{"sale", saleID})
	for _, id := range payments {
		refs = append(refs, chainRef{"payment", id})
	}
	return append(refs, chainRef{"document", documentID})
}

// chainEntry is one row of audit_chain.
type chainEntry struct {
	Seq                         int64
	Kind, ID, At                string
	ContentHash, PrevHash, Hash string
}

// sum is the entry's hash: hex SHA-256 over prev_hash, seq, kind, ref_id, at and content_hash,
// each as its length (uvarint) and bytes, so no two different entries hash the same input.
func (e chainEntry) sum() string {
	h := sha256.New()
	var buf []byte
	for _, f := range []string{e.PrevHash, strconv.FormatInt(e.Seq, 10), e.Kind, e.ID, e.At, e.ContentHash} {
		buf = binary.AppendUvarint(buf[:0], uint64(len(f)))
		h.Write(buf)
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// chainLink is the chain's last entry: what the next one links to.
type chainLink struct {
	seq  int64
	hash string
}

// chainHead reads the last entry, sealing the genesis first when no write has since the
// migration: then every record the file held is chained, once.
func chainHead(ctx context.Context, q chainTx) (chainLink, error) {
	var l chainLink
	err := q.QueryRowContext(ctx, chainHeadSQL).Scan(&l.seq, &l.hash)
	switch {
	case err == sql.ErrNoRows:
		return chainLink{}, nil // emptied outside the till: Verify tells, the till goes on
	case err != nil:
		return l, fmt.Errorf("read the chain's last entry: %w", err)
	case l.seq == 1 && l.hash == "":
		return sealGenesis(ctx, q)
	}
	return l, nil
}

// sealGenesis hashes the genesis entry the migration left and chains every record of the
// covered kinds already in the file.
func sealGenesis(ctx context.Context, q chainTx) (chainLink, error) {
	now := time.Now()
	g := chainEntry{Seq: 1, Kind: genesisKind, At: formatTime(now), ContentHash: absentHash}
	g.Hash = g.sum()
	if _, err := q.ExecContext(ctx, `UPDATE audit_chain SET at = ?, content_hash = ?, hash = ? WHERE seq = 1 AND hash = ''`,
		g.At, g.ContentHash, g.Hash); err != nil {
		return chainLink{}, fmt.Errorf("seal the chain's genesis: %w", err)
	}
	head := chainLink{seq: 1, hash: g.Hash}
	for _, kind := range chainCovered {
		ids, err := tableIDs(ctx, q, chainKinds[kind].table)
		if err != nil {
			return head, fmt.Errorf("seal the chain's genesis: %w", err)
		}
		for _, id := range ids {
			if err := head.append(ctx, q, kind, id, now); err != nil {
				return head, fmt.Errorf("seal the chain's genesis: %w", err)
			}
		}
	}
	return head, nil
}

// tableIDs lists a table's ids in the order they were written.
func tableIDs(ctx context.Context, q queryer, table string) ([]string, error) {
	return queryIDs(ctx, q, `SELECT id FROM `+table+` ORDER BY rowid`)
}

// append writes the entry of (kind, id) after l and moves l to it.
func (l *chainLink) append(ctx context.Context, q chainTx, kind, id string, at time.Time) error {
	content, err := readContent(ctx, q, kind, id)
	if err != nil {
		return err
	}
	e := chainEntry{Seq: l.seq + 1, Kind: kind, ID: id, At: formatTime(at), ContentHash: contentHash(content), PrevHash: l.hash}
	e.Hash = e.sum()
	if _, err := q.ExecContext(ctx, chainInsertSQL, e.Seq, e.Kind, e.ID, e.At, e.ContentHash, e.PrevHash, e.Hash); err != nil {
		return err
	}
	l.seq, l.hash = e.Seq, e.Hash
	return nil
}

// readContent is the canonical content of a record: its row, then its children, each row as
// 'r', its column count and its values (see appendValue); nil when the record does not exist
// or its kind has no reader.
func readContent(ctx context.Context, q queryer, kind, id string) ([]byte, error) {
	k, ok := chainKinds[kind]
	if !ok {
		return nil, nil
	}
	rows, err := q.QueryContext(ctx, k.row, id)
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", kind, id, err)
	}
	content, err := appendRows(nil, rows)
	if err != nil || len(content) == 0 || k.children == "" {
		return content, err
	}
	if rows, err = q.QueryContext(ctx, k.children, id); err != nil {
		return nil, fmt.Errorf("read %s %s: %w", kind, id, err)
	}
	return appendRows(content, rows)
}

func appendRows(b []byte, rows *sql.Rows) ([]byte, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		b = append(b, 'r')
		b = binary.AppendUvarint(b, uint64(len(cols)))
		for _, v := range vals {
			b = appendValue(b, v)
		}
	}
	return b, rows.Err()
}

// appendValue writes a value with its type: an integer edited into text, or 5 into 5.0, is
// a change too.
func appendValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, 'n')
	case int64:
		return binary.BigEndian.AppendUint64(append(b, 'i'), uint64(v))
	case float64:
		return binary.BigEndian.AppendUint64(append(b, 'f'), math.Float64bits(v))
	case bool:
		if v {
			return binary.BigEndian.AppendUint64(append(b, 'i'), 1)
		}
		return binary.BigEndian.AppendUint64(append(b, 'i'), 0)
	case string:
		return append(binary.AppendUvarint(append(b, 's'), uint64(len(v))), v...)
	case []byte:
		return append(binary.AppendUvarint(append(b, 'b'), uint64(len(v))), v...)
	case time.Time:
		s := v.UTC().Format(time.RFC3339Nano)
		return append(binary.AppendUvarint(append(b, 't'), uint64(len(s))), s...)
	default:
		s := fmt.Sprint(v)
		return append(binary.AppendUvarint(append(b, '?'), uint64(len(s))), s...)
	}
}

func contentHash(content []byte) string {
	sum := sha256.Sum256(content)
	return hex.EncodeToString(sum[:])
}

// chainGone chains records the transaction deleted, as absent.
func chainGone(ctx context.Context, tx execer, kind string, ids map[string]bool) error {
	return chainRecords(ctx, tx, goneRefs(kind, ids)...)
}

// goneRefs lists deleted records in id order: the chain is the same however a map iterates.
func goneRefs(kind string, ids map[string]bool) []chainRef {
	list := make([]string, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	sort.Strings(list)
	refs := make([]chainRef, len(list))
	for i, id := range list {
		refs[i] = chainRef{kind, id}
	}
	return refs
}

// deleteCash deletes a sale's cash payments and tells which, for the chain.
func deleteCash(ctx context.Context, tx queryer, saleID string) (map[string]bool, error) {
	ids, err := queryIDs(ctx, tx, deleteCashSQL, saleID)
	if err != nil {
		return nil, err
	}
	gone := make(map[string]bool, len(ids))
	for _, id := range ids {
		gone[id] = true
	}
	return gone, nil
}

// queryIDs runs a statement that returns ids (a SELECT, or a write … RETURNING id).
func queryIDs(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
