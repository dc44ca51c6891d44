package checkout

import (
	"context"
	"fmt"
)

// SettleUncertain records a manager's word about an uncertain return, read on the paper or in
// the printer's electronic journal: printed with number ("ZZZZ-NNNN"), then the money goes back
// as planned; or, with number "", not printed, and the return is refused so its lines are free
// again. Nothing is printed either way.
func (rs *Returns) SettleUncertain(ctx context.Context, returnID, number string, manager Operator) (*Return, error) {
	if !manager.IsManager() {
		return nil, ErrNotManager
	}
	r, err := rs.Journal.LoadReturn(ctx, returnID)
	if err != nil {
		return nil, err
	}
	if r.State != ReturnUncertain {
		return nil, fmt.Errorf("return %s is %s, not uncertain: %w", r.ID, r.State, ErrNotUncertain)
	}
	r.Operator = manager
	if number == "" {
		return r, rs.move(ctx, r, ReturnRefused)
	}
	z, n, err := ParseDocumentNumber(number)
	if err != nil {
		return nil, err
	}
	r.Document.ZNumber, r.Document.Number = z, n
	r.Document.IssuedAt, r.Document.PrinterSerial = rs.Checkout.Now(), r.Original.PrinterSerial
	if err := rs.move(ctx, r, ReturnDocumented); err != nil {
		return nil, err
	}
	return r, rs.giveBack(context.WithoutCancel(ctx), r)
}
