package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"till/app/checkout"
	"till/fiscal"
	"till/fiscal/fatturapa"
	"till/money"
)

// Returns implement checkout.ReturnJournal.
var _ checkout.ReturnJournal = (*DB)(nil)

// What returns read and write. return_lines.position is the sale line's position as stored
// (1-based); checkout numbers lines from 0.
const (
	returnableDocSQL = `SELECT d.sale_id, s.state FROM documents d JOIN sales s ON s.id = d.sale_id
		WHERE d.number = ? LIMIT 2`
	returnedSQL = `SELECT rl.position, SUM(rl.qty_milli) FROM return_lines rl JOIN returns r ON r.id = rl.return_id
		WHERE rl.sale_id = ? AND r.state <> 'refused' GROUP BY rl.position`
	openReturnsOfSaleSQL = `SELECT COUNT(*) FROM returns WHERE sale_id = ? AND state IN ('printing', 'uncertain') AND id <> ?`
	// liveReturnsOfSaleSQL: a void takes the whole document, so nothing else may be back.
	givenSQL = `SELECT m.attempt_id, SUM(m.amount_cents) FROM return_money m JOIN returns r ON r.id = m.return_id
		WHERE r.sale_id = ? AND r.state <> 'refused' GROUP BY m.attempt_id`
	liveReturnsOfSaleSQL = `SELECT COUNT(*) FROM returns WHERE sale_id = ? AND state <> 'refused' AND id <> ?`
	insertReturnSQL      = `INSERT INTO returns(id, kind, sale_id, original_number, original_kind, state, amount_cents,
		operator_number, operator_name, number, year, xml, issued_at, created_at, updated_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`
	// insertReturnLineSQL is the compare-and-set that keeps a line from going back twice: the
	// row is written only while what returns that are not refused hold, plus this quantity,
	// is within what the sale sold.
	insertReturnLineSQL = `INSERT INTO return_lines(return_id, sale_id, position, qty_milli, amount_cents)
		SELECT ?1, ?2, ?3, ?4, ?5 WHERE ?4 + (SELECT COALESCE(SUM(rl.qty_milli), 0) FROM return_lines rl
			JOIN returns r ON r.id = rl.return_id WHERE rl.sale_id = ?2 AND rl.position = ?3 AND r.state <> 'refused')
		<= (SELECT qty_milli FROM sale_lines WHERE sale_id = ?2 AND position = ?3)`
	insertReturnMoneySQL = `INSERT INTO return_money(id, return_id, method, amount_cents, attempt_id, device_id, stan, state,
		detail, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)`
	moveReturnSQL = `UPDATE returns SET state = ?, number = ?, z_number = ?, doc_number = ?, printer_serial = ?, issued_at = ?,
		updated_at = ? WHERE id = ? AND state = ?`
	moveMoneySQL = `UPDATE return_money SET state = ?, detail = ?, reversal_stan = ?, updated_at = ?
		WHERE id = ? AND return_id = ? AND state = ?`
	// openReturnsSQL also reads a documented return with a reversal left reversing (a crash
	// after the reversal was recorded): Recover makes it unknown, it is never sent again.
	openReturnsSQL = `SELECT id, kind, sale_id, original_number, state, amount_cents FROM returns
		WHERE state IN ('printing', 'uncertain')
		OR (state = 'documented' AND id IN (SELECT return_id FROM return_money WHERE state = 'reversing'))
		ORDER BY created_at, id`
	returnMoneySQL = `SELECT id, method, amount_cents, attempt_id, device_id, stan, reversal_stan, state, detail
		FROM return_money WHERE return_id = ? ORDER BY rowid`
)

// Returnable reads the documented sale whose document carries number, with what was returned
// of it already.
func (d *DB) Returnable(ctx context.Context, number string) (checkout.Returnable, error) {
	var src checkout.Returnable
	rows, err := d.sql.QueryContext(ctx, returnableDocSQL, number)
	if err != nil {
		return src, err
	}
	var ids, states []string
	for rows.Next() {
		var id, state string
		if err := rows.Scan(&id, &state); err != nil {
			rows.Close()
			return src, err
		}
		ids, states = append(ids, id), append(states, state)
	}
	rows.Close()
	switch {
	case len(ids) == 0:
		return src, fmt.Errorf("documento %s non trovato / document %s not found: %w", number, number, checkout.ErrNotReturnable)
	case len(ids) > 1:
		return src, fmt.Errorf("più documenti %s (più stampanti?) / several documents %s: %w", number, number, checkout.ErrNotReturnable)
	case states[0] != "documented":
		return src, fmt.Errorf("document %s: sale is %s: %w", number, states[0], checkout.ErrNotReturnable)
	}
	st, err := d.Sale(ctx, ids[0])
	if err != nil {
		return src, err
	}
	if st.Document == nil {
		return src, fmt.Errorf("document %s: %w", number, checkout.ErrNotReturnable)
	}
	src.Sale = &checkout.Sale{ID: st.ID, Lines: st.Lines, Discount: st.Discount}
	src.Document = *st.Document
	for _, p := range st.Payments {
		if p.Method == fiscal.Cash {
			src.Cash += p.Amount
		}
	}
	if src.Returned, err = d.returned(ctx, st.ID); err != nil {
		return src, err
	}
	if src.Given, err = d.given(ctx, st.ID); err != nil {
		return src, err
	}
	if err := d.sql.QueryRowContext(ctx, openReturnsOfSaleSQL, st.ID, "").Scan(&src.Open); err != nil {
		return src, err
	}
	if src.Document.Kind == "invoice" {
		var xml string
		if err := d.sql.QueryRowContext(ctx, `SELECT xml FROM documents WHERE sale_id = ?`, st.ID).Scan(&xml); err != nil {
			return src, err
		}
		src.InvoiceXML = []byte(xml)
	}
	src.Attempts, err = d.SaleAttempts(ctx, st.ID)
	return src, err
}

func (d *DB) returned(ctx context.Context, saleID string) (map[int]int64, error) {
	rows, err := d.sql.QueryContext(ctx, returnedSQL, saleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]int64{}
	for rows.Next() {
		var pos int
		var qty int64
		if err := rows.Scan(&pos, &qty); err != nil {
			return nil, err
		}
		out[pos-1] = qty
	}
	return out, rows.Err()
}

func (d *DB) given(ctx context.Context, saleID string) (map[string]money.Cents, error) {
	rows, err := d.sql.QueryContext(ctx, givenSQL, saleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]money.Cents{}
	for rows.Next() {
		var id string
		var amount money.Cents
		if err := rows.Scan(&id, &amount); err != nil {
			return nil, err
		}
		out[id] = amount
	}
	return out, rows.Err()
}

// BeginReturn records the return in state printing, its lines (each a compare-and-set against
// what is left) and its money plan, in one transaction.
func (d *DB) BeginReturn(ctx context.Context, r *checkout.Return) error {
	err := d.write(ctx, func(tx *txn) error {
		return insertReturn(ctx, tx, r, "", 0, nil)
	})
	if err != nil {
		return fmt.Errorf("record %s of %s: %w", r.Kind, r.Original.Label, err)
	}
	return nil
}

// RecordCreditNote numbers, builds and records a refund of an invoice, documented, in one
// transaction; a failing build writes nothing and leaves the number free.
func (d *DB) RecordCreditNote(ctx context.Context, r *checkout.Return, build func(number string) ([]byte, error)) error {
	year := r.Created.Year()
	err := d.write(ctx, func(tx *txn) error {
		n, err := nextInvoiceNumber(ctx, tx, year)
		if err != nil {
			return err
		}
		number := fatturapa.FormatNumber(n, year)
		xml, err := build(number)
		if err != nil {
			return fmt.Errorf("build credit note %s: %w", number, err)
		}
		r.State, r.CreditNote, r.CreditNoteNumber = checkout.ReturnDocumented, xml, number
		return insertReturn(ctx, tx, r, number, year, xml)
	})
	if err != nil {
		r.State, r.CreditNote, r.CreditNoteNumber = checkout.ReturnPrinting, nil, ""
		return fmt.Errorf("record credit note of %s: %w", r.Original.Label, err)
	}
	return nil
}

func insertReturn(ctx context.Context, tx *txn, r *checkout.Return, number string, year int, xml []byte) error {
	var open int
	if err := tx.QueryRowContext(ctx, openReturnsOfSaleSQL, r.SaleID, r.ID).Scan(&open); err != nil {
		return err
	}
	if open > 0 {
		return checkout.ErrReturnUncertain
	}
	if r.Kind == checkout.KindVoid {
		var live int
		if err := tx.QueryRowContext(ctx, liveReturnsOfSaleSQL, r.SaleID, r.ID).Scan(&live); err != nil {
			return err
		}
		if live > 0 {
			return fmt.Errorf("void: %w", checkout.ErrAlreadyReturned)
		}
	}
	now := formatTime(time.Now())
	issued := ""
	if r.State == checkout.ReturnDocumented {
		issued = formatTime(r.Created)
	}
	if _, err := tx.ExecContext(ctx, insertReturnSQL, r.ID, string(r.Kind), r.SaleID, r.Original.Label, r.Original.Kind,
		string(r.State), r.Amount, r.Operator.Number, r.Operator.Name, number, year, string(xml), issued,
		formatTime(r.Created), now); err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return fmt.Errorf("%w: %v", checkout.ErrAlreadyReturned, err)
		}
		return err
	}
	for _, l := range r.Lines {
		res, err := tx.ExecContext(ctx, insertReturnLineSQL, r.ID, r.SaleID, l.Position+1, l.QtyMilli, l.Amount)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("line %d: %w", l.Position+1, checkout.ErrAlreadyReturned)
		}
	}
	for _, m := range r.Money {
		if _, err := tx.ExecContext(ctx, insertReturnMoneySQL, m.ID, r.ID, string(m.Method), m.Amount, m.AttemptID, m.DeviceID,
			m.STAN, string(m.State), m.Detail, now); err != nil {
			return err
		}
	}
	detail := fmt.Sprintf("%s of %s, %s, operator %d", r.Kind, r.Original.Label, r.Amount, r.Operator.Number)
	if err := audit(ctx, tx, operatorActor(r.Operator), string(r.Kind)+"_"+string(r.State), r.ID, detail); err != nil {
		return err
	}
	return chainAppend(ctx, tx, string(r.Kind), r.ID)
}

func operatorActor(o checkout.Operator) string {
	if o.Name != "" {
		return fmt.Sprintf("operator %d (%s)", o.Number, o.Name)
	}
	return fmt.Sprintf("operator %d", o.Number)
}

// MoveReturn writes the return's new state, and its document once documented, where its
// state is still from (a compare-and-set), with an audit entry, in one transaction.
func (d *DB) MoveReturn(ctx context.Context, r *checkout.Return, from checkout.ReturnState) error {
	return d.write(ctx, func(tx *txn) error {
		number, issued := "", ""
		if r.State == checkout.ReturnDocumented {
			number, issued = r.Document.ID(), formatTime(r.Document.IssuedAt)
		}
		res, err := tx.ExecContext(ctx, moveReturnSQL, string(r.State), number, r.Document.ZNumber, r.Document.Number,
			r.Document.PrinterSerial, issued, formatTime(time.Now()), r.ID, string(from))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("return %s is no longer %s: %w", r.ID, from, checkout.ErrStale)
		}
		if err := audit(ctx, tx, operatorActor(r.Operator), string(r.Kind)+"_"+string(r.State), r.ID, number); err != nil {
			return err
		}
		return chainAppend(ctx, tx, string(r.Kind), r.ID)
	})
}

// MoveMoney writes a money share's new state where it is still from, with an audit entry, in
// one transaction.
func (d *DB) MoveMoney(ctx context.Context, returnID string, m *checkout.MoneyBack, from checkout.MoneyState) error {
	return d.write(ctx, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, moveMoneySQL, string(m.State), m.Detail, m.ReversalSTAN, formatTime(time.Now()),
			m.ID, returnID, string(from))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("money %s of return %s is no longer %s: %w", m.ID, returnID, from, checkout.ErrStale)
		}
		// The audit entry is chained (audit chains itself): the money's moves are evidence too.
		return audit(ctx, tx, "till", "return_money_"+string(m.State), returnID,
			strings.TrimSpace(fmt.Sprintf("%s %s %s %s", m.Method, m.Amount, m.ReversalSTAN, m.Detail)))
	})
}

// OpenReturns lists the returns left printing or uncertain, and the documented ones with a
// reversal left reversing, with their money.
func (d *DB) OpenReturns(ctx context.Context) ([]checkout.Return, error) {
	rows, err := d.sql.QueryContext(ctx, openReturnsSQL)
	if err != nil {
		return nil, err
	}
	var out []checkout.Return
	for rows.Next() {
		var r checkout.Return
		var kind, state string
		if err := rows.Scan(&r.ID, &kind, &r.SaleID, &r.Original.Label, &state, &r.Amount); err != nil {
			rows.Close()
			return nil, err
		}
		r.Kind, r.State = checkout.ReturnKind(kind), checkout.ReturnState(state)
		out = append(out, r)
	}
	rows.Close()
	for i := range out {
		if out[i].Money, err = d.returnMoney(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (d *DB) returnMoney(ctx context.Context, returnID string) ([]checkout.MoneyBack, error) {
	rows, err := d.sql.QueryContext(ctx, returnMoneySQL, returnID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []checkout.MoneyBack
	for rows.Next() {
		var m checkout.MoneyBack
		var method, state string
		if err := rows.Scan(&m.ID, &method, &m.Amount, &m.AttemptID, &m.DeviceID, &m.STAN, &m.ReversalSTAN, &state, &m.Detail); err != nil {
			return nil, err
		}
		m.Method, m.State = fiscal.PaymentMethod(method), checkout.MoneyState(state)
		out = append(out, m)
	}
	return out, rows.Err()
}

// LoadReturn reads one return with its money, as the checkout works on it.
func (d *DB) LoadReturn(ctx context.Context, id string) (*checkout.Return, error) {
	r := &checkout.Return{ID: id}
	var kind, state, created string
	err := d.sql.QueryRowContext(ctx, `SELECT r.kind, r.sale_id, r.original_number, r.original_kind, r.state, r.amount_cents,
		r.operator_number, r.operator_name, r.created_at, COALESCE(d.printer_serial, ''), COALESCE(d.z_number, 0), COALESCE(d.doc_number, 0)
		FROM returns r LEFT JOIN documents d ON d.sale_id = r.sale_id WHERE r.id = ?`, id).Scan(&kind, &r.SaleID, &r.Original.Label,
		&r.Original.Kind, &state, &r.Amount, &r.Operator.Number, &r.Operator.Name, &created, &r.Original.PrinterSerial,
		&r.Original.ZNumber, &r.Original.Number)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("reso o annullo %s non trovato / return %s not found: %w", id, id, checkout.ErrNotReturnable)
	}
	if err != nil {
		return nil, err
	}
	r.Kind, r.State, r.Created = checkout.ReturnKind(kind), checkout.ReturnState(state), parseTime(created)
	if r.Money, err = d.returnMoney(ctx, id); err != nil {
		return nil, err
	}
	return r, nil
}

// StoredReturn is a return read back, for the headless commands and tests.
type StoredReturn struct {
	ID, Kind, SaleID, Original, State, Number, Serial string
	Amount                                            money.Cents
	XML                                               string
	Money                                             []checkout.MoneyBack
}

// Return reads one return.
func (d *DB) Return(ctx context.Context, id string) (StoredReturn, error) {
	var r StoredReturn
	err := d.sql.QueryRowContext(ctx, `SELECT id, kind, sale_id, original_number, state, number, printer_serial, amount_cents, xml
		FROM returns WHERE id = ?`, id).Scan(&r.ID, &r.Kind, &r.SaleID, &r.Original, &r.State, &r.Number, &r.Serial, &r.Amount, &r.XML)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("return %s: not found", id)
	}
	if err != nil {
		return r, err
	}
	r.Money, err = d.returnMoney(ctx, id)
	return r, err
}
