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
	// The printer's own codes have precise sentences of their own (paper out, cover open…).
	var fe *fiscal.Error
	if errors.As(err, &fe) && fe.Code != "" {
		return epson.Message(err, uiLanguage())
	}
	keys := []struct {
		err error
		key string
	}{
		{checkout.ErrAmountTooLarge, "err.amount.too.large"},
		{checkout.ErrZeroPrice, "err.zero.price"},
		{checkout.ErrNoPrice, "err.no.price"},
		{checkout.ErrEmptySale, "err.empty.sale"},
		{checkout.ErrTenderTooLow, "err.tender.too.low"},
		{checkout.ErrBadQuantity, "err.bad.quantity"},
		{checkout.ErrNoLine, "err.no.line"},
		{checkout.ErrPrintUnknown, "err.print.unknown"},
		{checkout.ErrOverDue, "err.over.due"},
		{checkout.ErrDeclined, "err.declined"},
		{checkout.ErrUnresolved, "err.unresolved"},
		{checkout.ErrReversalFailed, "err.reversal.failed"},
		{checkout.ErrBadSlip, "err.bad.slip"},
		{checkout.ErrNoCopies, "err.no.copies"},
		{fiscal.ErrNotReady, "err.printer.not.ready"},
		{fiscal.ErrRefused, "err.printer.refused"},
		{fiscal.ErrOutcomeUnknown, "err.print.unknown"},
	}
	for _, k := range keys {
		if errors.Is(err, k.err) {
			return tr(k.key)
		}
	}
	return tr("err.unexpected", map[string]any{"Error": err.Error()})
}

// uiLanguage is "en" on an English system and "it" otherwise, as the translations are chosen.
func uiLanguage() string {
	if base, _, _ := strings.Cut(lang.SystemLocale().LanguageString(), "-"); base == "en" {
		return "en"
	}
	return "it"
}
