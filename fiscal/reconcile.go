package fiscal

import (
	"context"
	"errors"
	"fmt"

	"till/money"
)

// LastDocumentReader reads the last document a printer issued in its open day (Number 0 when
// none yet). Printers that can answer it let the till reconcile an unknown outcome.
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
// that amount. A different new document with another amount is an error: someone else printed,
// and a person must look.
func Reconcile(ctx context.Context, p LastDocumentReader, expectAmount money.Cents, lastBefore DocumentRef) (DocumentRef, bool, error) {
	now, err := p.LastDocument(ctx)
	if err != nil {
		return DocumentRef{}, false, fmt.Errorf("reconcile: %w", err)
	}
	if now.Number == 0 || (now.ZNumber == lastBefore.ZNumber && now.Number == lastBefore.Number) {
		return DocumentRef{}, false, nil // nothing new, or a Z report since and no document after it
	}
	if now.Amount != expectAmount {
		return DocumentRef{}, false, fmt.Errorf("reconcile: last document %s is %s, expected %s: %w",
			now.ID(), now.Amount, expectAmount, ErrOutcomeUnknown)
	}
	return now, true, nil
}

// PrintOnce prints r so that it is issued at most once: it reads the last document, prints, and
// after an unknown outcome asks the printer whether the document came out; when it did not, it
// prints once more. A till that must survive a crash between the two steps persists lastBefore
// itself and calls Reconcile on restart instead.
func PrintOnce(ctx context.Context, p ReconcilingPrinter, r Receipt) (DocumentRef, error) {
	for attempt := 0; attempt < 2; attempt++ {
		before, err := p.LastDocument(ctx)
		if err != nil {
			return DocumentRef{}, fmt.Errorf("print once: %w", err)
		}
		ref, err := p.PrintReceipt(ctx, r)
		if !errors.Is(err, ErrOutcomeUnknown) {
			return ref, err
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
