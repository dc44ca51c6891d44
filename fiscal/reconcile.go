package fiscal

import (
	"context"
	"errors"
	"fmt"

	"till/money"
)

// LastDocumentReader reads the last document a printer issued in its open day (Number 0 when
// none yet). Printers that can answer it let the till reconcile an unknown outcome. A printer
// that cannot say it by a documented means returns an error wrapping ErrCannotTell, never a
// zero DocumentRef: "no document" must be the printer's word, not a field it left out.
type LastDocumentReader interface {
	LastDocument(ctx context.Context) (DocumentRef, error)
}

// ReconcilingPrinter is a Printer that can say what it printed last.
type ReconcilingPrinter interface {
	Printer
	LastDocumentReader
}

// Reconcile decides whether a document of expectAmount was issued after lastBefore, the
// printer's last document read before sending (and persisted by the till, so this also works
// after a crash). It reports the new document when the printer's last document changed and has
// that amount. A different new document with another amount, or one whose amount the printer
// did not state, is an error wrapping ErrOutcomeUnknown: a person must look.
//
// When the printer cannot tell its last document the error wraps ErrCannotTell and
// ErrOutcomeUnknown: the outcome stays unknown, and the caller must not print again on its own.
func Reconcile(ctx context.Context, p LastDocumentReader, expectAmount money.Cents, lastBefore DocumentRef) (DocumentRef, bool, error) {
	now, err := p.LastDocument(ctx)
	if errors.Is(err, ErrCannotTell) {
		return DocumentRef{}, false, fmt.Errorf("reconcile: %w: %w", ErrOutcomeUnknown, err)
	}
	if err != nil {
		return DocumentRef{}, false, fmt.Errorf("reconcile: %w", err)
	}
	if now.Number == 0 || (now.ZNumber == lastBefore.ZNumber && now.Number == lastBefore.Number) {
		return DocumentRef{}, false, nil // nothing new, or a Z report since and no document after it
	}
	if !now.AmountReported && now.Amount == 0 {
		return DocumentRef{}, false, fmt.Errorf("reconcile: last document %s without an amount, expected %s: %w",
			now.ID(), expectAmount, ErrOutcomeUnknown)
	}
	if now.Amount != expectAmount {
		return DocumentRef{}, false, fmt.Errorf("reconcile: last document %s is %s, expected %s: %w",
			now.ID(), now.Amount, expectAmount, ErrOutcomeUnknown)
	}
	return now, true, nil
}

// PrintOnce prints r so that it is issued at most once: it reads the last document, prints, and
// after an unknown outcome asks the printer whether the document came out; only when a
// documented answer shows it did not does it print once more. When the printer cannot tell its
// last document (ErrCannotTell) it never prints a second time: an unknown outcome is returned as
// an error wrapping ErrOutcomeUnknown and ErrCannotTell, for a person to check the paper or the
// printer's journal. A till that must survive a crash between the steps persists lastBefore
// itself and calls Reconcile on restart instead.
func PrintOnce(ctx context.Context, p ReconcilingPrinter, r Receipt) (DocumentRef, error) {
	for attempt := 0; attempt < 2; attempt++ {
		before, err := p.LastDocument(ctx)
		cannotTell := errors.Is(err, ErrCannotTell)
		if err != nil && !cannotTell {
			return DocumentRef{}, fmt.Errorf("print once: %w", err)
		}
		ref, err := p.PrintReceipt(ctx, r)
		if !errors.Is(err, ErrOutcomeUnknown) {
			return ref, err
		}
		if cannotTell {
			return DocumentRef{}, fmt.Errorf("print once: not printed again: %w: %w", err, ErrCannotTell)
		}
		ref, printed, rerr := Reconcile(ctx, p, r.Total(), before)
		if rerr != nil {
			return DocumentRef{}, errors.Join(err, rerr)
		}
		if printed {
			return ref, nil
		}
	}
	return DocumentRef{}, fmt.Errorf("print once: not issued after a retry: %w", ErrOutcomeUnknown)
}
