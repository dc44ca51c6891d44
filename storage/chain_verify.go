package storage

import (
	"context"
	"database/sql"
	"fmt"
)

// Why Verify found the chain broken (Break.Reason): stable codes for scripts and the JSON.
const (
	BreakNoGenesis     = "no_genesis"     // the chain does not start with its genesis entry
	BreakEntryMissing  = "entry_missing"  // entries were deleted: seq jumps
	BreakLinkBroken    = "link_broken"    // prev_hash is not the previous entry's hash: reordered or replaced
	BreakEntryAltered  = "entry_altered"  // the entry's own fields were edited
	BreakRecordAltered = "record_altered" // the record's rows are not what the till wrote last
	BreakRecordDeleted = "record_deleted" // the record's row is gone, the till never deleted it
	BreakNotChained    = "not_chained"    // a row the till never chained: inserted outside it
)

// VerifyResult is what Verify found.
type VerifyResult struct {
	OK      bool
	Entries int // entries walked
	// Unchecked counts records of kinds with no content reader: covered by the links only.
	Unchecked int
	Broken    *Break // the first broken record, nil when OK
}

// Break names the first broken record: the entry where the chain stops holding (Seq, 0 for
// a row missing from the chain), the record, and why.
type Break struct {
	Seq    int64
	Kind   string
	ID     string
	Reason string // one of the Break… codes
	Detail string // for people, in English
}

// verifyBatch is how many entries Verify reads at a time: memory stays flat on any history.
const verifyBatch = 1024

// Verify walks the audit chain: every entry's hash and its link to the one before, the
// content of each record's last entry against the record's rows now, and every sale, payment
// and document row having an entry. It reads one snapshot (a deferred transaction, so a till
// at work beside it is never held up); a chain whose genesis no write has sealed yet is
// sealed first, which is a write.
func (d *DB) Verify(ctx context.Context) (VerifyResult, error) {
	var unsealed bool
	err := d.sql.QueryRowContext(ctx, `SELECT hash = '' FROM audit_chain WHERE seq = 1`).Scan(&unsealed)
	if err != nil && err != sql.ErrNoRows {
		return VerifyResult{}, fmt.Errorf("verify the audit chain: %w", err)
	}
	if unsealed {
		if err := d.write(ctx, func(tx *txn) error { _, err := chainHead(ctx, tx); return err }); err != nil {
			return VerifyResult{}, fmt.Errorf("verify the audit chain: %w", err)
		}
	}
	conn, err := d.sql.Conn(ctx)
	if err != nil {
		return VerifyResult{}, fmt.Errorf("verify the audit chain: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return VerifyResult{}, fmt.Errorf("verify the audit chain: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
	r, err := verify(ctx, conn)
	if err != nil {
		return r, fmt.Errorf("verify the audit chain: %w", err)
	}
	return r, nil
}

func verify(ctx context.Context, q queryer) (VerifyResult, error) {
	var r VerifyResult
	last, err := lastEntries(ctx, q)
	if err != nil {
		return r, err
	}
	// A broken link is told before any record: a deleted or reordered entry makes the records
	// it covered look edited, and the entry is what was touched.
	prev := chainEntry{}
	var edited *Break
	for {
		batch, err := chainBatch(ctx, q, prev.Seq)
		if err != nil {
			return r, err
		}
		for _, e := range batch {
			if b := checkLink(prev, e); b != nil {
				r.Broken = b
				return r, nil
			}
			if edited == nil && last[recordKey(e.Kind, e.ID)] == e.Seq {
				if edited, err = checkContent(ctx, q, e, &r); err != nil {
					return r, err
				}
			}
			prev = e
			r.Entries++
		}
		if len(batch) < verifyBatch {
			break
		}
	}
	switch {
	case r.Entries == 0:
		r.Broken = &Break{Seq: 1, Reason: BreakNoGenesis, Detail: "the chain is empty"}
	case edited != nil:
		r.Broken = edited
	default:
		b, err := unchained(ctx, q, last)
		if err != nil {
			return r, err
		}
		r.Broken = b
	}
	r.OK = r.Broken == nil
	return r, nil
}

func recordKey(kind, id string) string { return kind + "\x00" + id }

// lastEntries maps each record to the seq of its last entry: only that one is compared with
// the rows, the earlier ones are held by the links.
func lastEntries(ctx context.Context, q queryer) (map[string]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT kind, ref_id, max(seq) FROM audit_chain GROUP BY kind, ref_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	last := map[string]int64{}
	for rows.Next() {
		var kind, id string
		var seq int64
		if err := rows.Scan(&kind, &id, &seq); err != nil {
			return nil, err
		}
		last[recordKey(kind, id)] = seq
	}
	return last, rows.Err()
}

func chainBatch(ctx context.Context, q queryer, after int64) ([]chainEntry, error) {
	rows, err := q.QueryContext(ctx, `SELECT seq, kind, ref_id, at, content_hash, prev_hash, hash FROM audit_chain
		WHERE seq > ? ORDER BY seq LIMIT ?`, after, verifyBatch)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []chainEntry
	for rows.Next() {
		var e chainEntry
		if err := rows.Scan(&e.Seq, &e.Kind, &e.ID, &e.At, &e.ContentHash, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// checkLink checks e against the entry before it (the zero entry before the first).
func checkLink(prev, e chainEntry) *Break {
	b := &Break{Seq: e.Seq, Kind: e.Kind, ID: e.ID}
	switch {
	case prev.Seq == 0 && (e.Seq != 1 || e.Kind != genesisKind):
		b.Seq, b.Reason = 1, BreakNoGenesis
		b.Detail = fmt.Sprintf("the chain starts at entry %d (%s %s), not at its genesis", e.Seq, e.Kind, e.ID)
	case e.Seq != prev.Seq+1:
		b.Seq, b.Reason = prev.Seq+1, BreakEntryMissing
		b.Detail = fmt.Sprintf("entries %d to %d are missing, before entry %d (%s %s)", prev.Seq+1, e.Seq-1, e.Seq, e.Kind, e.ID)
	case e.PrevHash != prev.Hash:
		b.Reason = BreakLinkBroken
		b.Detail = fmt.Sprintf("entry %d does not follow entry %d: reordered, or an entry replaced", e.Seq, prev.Seq)
	case e.Hash != e.sum():
		b.Reason = BreakEntryAltered
		b.Detail = fmt.Sprintf("entry %d was edited", e.Seq)
	default:
		return nil
	}
	return b
}

// checkContent compares a record's last entry with its rows now.
func checkContent(ctx context.Context, q queryer, e chainEntry, r *VerifyResult) (*Break, error) {
	if e.Kind == genesisKind {
		return nil, nil
	}
	if _, ok := chainKinds[e.Kind]; !ok {
		r.Unchecked++
		return nil, nil
	}
	content, err := readContent(ctx, q, e.Kind, e.ID)
	if err != nil {
		return nil, err
	}
	if contentHash(content) == e.ContentHash {
		return nil, nil
	}
	b := &Break{Seq: e.Seq, Kind: e.Kind, ID: e.ID, Reason: BreakRecordAltered}
	switch {
	case content == nil:
		b.Reason, b.Detail = BreakRecordDeleted, fmt.Sprintf("%s %s was deleted outside the till", e.Kind, e.ID)
	case e.ContentHash == absentHash:
		b.Detail = fmt.Sprintf("%s %s, deleted by the till, is back", e.Kind, e.ID)
	default:
		b.Detail = fmt.Sprintf("%s %s is not as the till wrote it at entry %d", e.Kind, e.ID, e.Seq)
	}
	return b, nil
}

// unchained finds the first row of a covered table that has no entry: written outside the
// till. Kinds are taken in a fixed order, each table in the order of writing.
func unchained(ctx context.Context, q queryer, last map[string]int64) (*Break, error) {
	for _, kind := range chainCovered {
		ids, err := tableIDs(ctx, q, chainKinds[kind].table)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			if _, ok := last[recordKey(kind, id)]; !ok {
				return &Break{Kind: kind, ID: id, Reason: BreakNotChained,
					Detail: fmt.Sprintf("%s %s was written outside the till: no entry chains it", kind, id)}, nil
			}
		}
	}
	return nil, nil
}
