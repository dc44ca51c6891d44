package epson

import (
	"context"
	"encoding/xml"
	"fmt"

	"till/fiscal"
)

// CanReturnCommand is the directIO that asks the printer whether a document can be voided or
// refunded (docs/spec/epson-fpmate.md, "Void (annullo) and refund (reso)").
const CanReturnCommand = "9205"

type directIO struct {
	XMLName xml.Name `xml:"directIO"`
	Command string   `xml:"command,attr"`
	Data    string   `xml:"data,attr"`
}

// BuildCanReturn returns the directIO 9205 request asking whether original can be voided
// (void) or refunded. Its data is the reference text the document itself would print; the
// contract names the command but not its data, so that layout is an assumption written in
// the contract page.
func BuildCanReturn(void bool, original fiscal.DocumentRef) ([]byte, error) {
	kind := "REFUND"
	if void {
		kind = "VOID"
	}
	msg, err := voidLine(1, kind, original)
	if err != nil {
		return nil, err
	}
	return marshal("printerCommand", []any{directIO{Command: CanReturnCommand, Data: msg.Message}})
}

// CanReturn asks the printer whether original can be voided (void) or refunded, before
// anything is printed. nil means yes; a *fiscal.Error of kind ErrRefused carries the printer's
// reason (17 no such document, 39 already voided, 40 already refunded). The question issues
// nothing, so a lost answer is only "not known": the caller asks again or stops.
func (d *Driver) CanReturn(ctx context.Context, void bool, original fiscal.DocumentRef) error {
	body, err := BuildCanReturn(void, original)
	if err != nil {
		return fmt.Errorf("can return %s: %w", original.ID(), err)
	}
	if _, err := d.post(ctx, body, d.cfg.Timeout); err != nil {
		return fmt.Errorf("can return %s: %w", original.ID(), err)
	}
	return nil
}

// Serial returns the printer's serial: Config.Serial, or the one a status answer carried. It
// asks the status once when unknown. The contract documents no way to read it, so it stays ""
// for a printer that does not send serialNumber; voids and refunds then refuse before sending.
func (d *Driver) Serial(ctx context.Context) (string, error) {
	if s := d.serialNumber(); s != "" {
		return s, nil
	}
	if _, err := d.status(ctx); err != nil {
		return "", fmt.Errorf("serial: %w", err)
	}
	return d.serialNumber(), nil
}

// VoidAs issues a void (annullo) of a whole earlier document as operator op, whose number is
// printed on it.
func (d *Driver) VoidAs(ctx context.Context, op int, original fiscal.DocumentRef) (fiscal.DocumentRef, error) {
	body, err := BuildVoidAs(op, original)
	return d.issue(ctx, "void "+original.ID(), body, err)
}

// RefundAs issues a refund (reso) of some lines of an earlier document as operator op.
func (d *Driver) RefundAs(ctx context.Context, op int, original fiscal.DocumentRef, lines []fiscal.Line, payments []fiscal.Payment) (fiscal.DocumentRef, error) {
	body, err := BuildRefundAs(op, original, lines, payments, d.cfg.Departments, d.cfg.Payments)
	return d.issue(ctx, "refund "+original.ID(), body, err)
}
