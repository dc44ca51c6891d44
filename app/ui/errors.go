package ui

import (
	"errors"
	"strings"

	"till/app/checkout"
	"till/fiscal"
	"till/fiscal/epson"

	"fyne.io/fyne/v2/lang"
)

// errorText says in the cashier's language what went wrong and what to do next.
func errorText(err error) string {
	// A receipt that may be on paper comes first: whatever the printer's code, the cashier
	// must check the paper before anything is printed again.
	if errors.Is(err, checkout.ErrPrintUncertain) {
		return tr("err.print.uncertain")
	}
	// The printer's own codes have precise sentences of their own (paper out, cover open…).
	var fe *fiscal.Error
	if errors.As(err, &fe) && fe.Code != "" {
		return epson.Message(err, uiLanguage())
	}
	for _, k := range errorKeys {
		if errors.Is(err, k.err) {
			return tr(k.key)
		}
	}
	return tr("err.unexpected", map[string]any{"Error": err.Error()})
}

// errorKeys maps errors to their texts, the more specific first: a wrapped error matches the
// first entry it unwraps to.
var errorKeys = []struct {
	err error
	key string
}{
	{checkout.ErrAmountTooLarge, "err.amount.too.large"},
	{checkout.ErrZeroPrice, "err.zero.price"},
	{checkout.ErrLineTooSmall, "err.line.too.small"},
	{checkout.ErrNoPrice, "err.no.price"},
	{checkout.ErrEmptySale, "err.empty.sale"},
	{checkout.ErrTenderTooLow, "err.tender.too.low"},
	{checkout.ErrBadQuantity, "err.bad.quantity"},
	{checkout.ErrNoLine, "err.no.line"},
	{checkout.ErrBusy, "err.busy"},
	{checkout.ErrOverDue, "err.over.due"},
	{checkout.ErrBlocked, "err.blocked"},
	{checkout.ErrInFlight, "err.in.flight"},
	{checkout.ErrStale, "err.stale"},
	{checkout.ErrDeclined, "err.declined"},
	{checkout.ErrUnresolved, "err.unresolved"},
	{checkout.ErrReversalFailed, "err.reversal.failed"},
	{checkout.ErrOverpay, "err.overpay"},
	{checkout.ErrBadSlip, "err.bad.slip"},
	{checkout.ErrBadDocumentNumber, "err.bad.document.number"},
	{checkout.ErrNotUncertain, "err.not.uncertain"},
	{checkout.ErrNoCopies, "err.no.copies"},
	{checkout.ErrNoInvoices, "err.no.invoices"},
	{checkout.ErrPrinterNotReady, "err.printer.not.ready.now"},
	{fiscal.ErrNotReady, "err.printer.not.ready"},
	{fiscal.ErrRefused, "err.printer.refused"},
	{fiscal.ErrOutcomeUnknown, "err.print.unknown"},
}

// uiLanguage is "en" on an English system and "it" otherwise, as the translations are chosen.
func uiLanguage() string {
	if base, _, _ := strings.Cut(lang.SystemLocale().LanguageString(), "-"); base == "en" {
		return "en"
	}
	return "it"
}
