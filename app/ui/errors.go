package ui

import (
	"context"
	"errors"
	"log"
	"net"
	"regexp"
	"strconv"
	"strings"

	"till/app/catalogue"
	"till/app/checkout"
	"till/app/dayclose"
	"till/app/tillsync"
	"till/fiscal"
	"till/pos"
	"till/storage"

	"fyne.io/fyne/v2/lang"
)

// errorText says in the cashier's language what went wrong and what to do next.
func errorText(err error) string {
	// A receipt that may be on paper comes first: whatever the printer's code, the cashier
	// must check the paper before anything is printed again.
	if errors.Is(err, checkout.ErrPrintUncertain) {
		return tr("err.print.uncertain")
	}
	if text, ok := printerText(err); ok {
		return text
	}
	var inv *catalogue.Invalid
	if errors.As(err, &inv) {
		return catalogueText(inv)
	}
	var ce *checkout.CustomerError
	if errors.As(err, &ce) {
		if key := "customer.err." + ce.Field + "." + ce.Reason; hasText(key) {
			return tr(key)
		}
		return tr("err.customer.invalid")
	}
	for _, k := range errorKeys {
		if errors.Is(err, k.err) {
			return tr(k.key)
		}
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return tr("err.network")
	}
	// The error's own words are English, for the log and for support: never on the screen.
	// Off the UI goroutine, which never waits on a write.
	go log.Printf("till: unexpected error shown to the cashier: %v", err)
	return tr("err.unexpected")
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
	{checkout.ErrDiscountNeedsConfirm, "err.discount.needs.confirm"},
	{checkout.ErrBadDiscount, "err.bad.discount"},
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
	{pos.ErrNotDelivered, "exchange.declined.not.delivered"},
	{pos.ErrOutcomeUnknown, "err.unresolved"},
	{pos.ErrForeignTerminal, "err.pos.answer"},
	{pos.ErrMalformedResult, "err.pos.answer"},
	{pos.ErrDeclined, "err.declined"},
	{storage.ErrNotPending, "err.sale.settled"},
	{storage.ErrNoSale, "err.sale.missing"},
	{tillsync.ErrUnreachable, "err.portal.unreachable"},
	{tillsync.ErrRevoked, "err.portal.revoked"},
	{tillsync.ErrRejected, "err.portal.rejected"},
	{tillsync.ErrServer, "err.portal.server"},
	{tillsync.ErrNotActivated, "err.portal.not.activated"},
	{dayclose.ErrTerminalsOpen, "err.close.terminals"},
	{dayclose.ErrZUnknown, "close.z.unknown"},
	{dayclose.ErrZRefused, "close.z.refused"},
	{context.DeadlineExceeded, "err.timeout"},
}

// catalogueText lists what is wrong with a catalogue entry the manager tried to save, in the
// catalogue's own words for each field and problem.
func catalogueText(inv *catalogue.Invalid) string {
	const shown = 5
	var lines []string
	for i, p := range inv.Problems {
		if i == shown {
			lines = append(lines, trn("catalogue.problems.more", len(inv.Problems)-shown, nil))
			break
		}
		lines = append(lines, p.Message(uiLanguage() == "en"))
	}
	return tr("catalogue.refused", map[string]any{"Problems": strings.Join(lines, "; ")})
}

// uiLanguage is "en" on an English system and "it" otherwise, as the translations are chosen.
func uiLanguage() string {
	if base, _, _ := strings.Cut(lang.SystemLocale().LanguageString(), "-"); base == "en" {
		return "en"
	}
	return "it"
}

// printerText explains a printer's failure in the cashier's words: its own code or native
// status when known (paper out, cover open…), else what kind of failure it was.
func printerText(err error) (string, bool) {
	var fe *fiscal.Error
	if !errors.As(err, &fe) && !errors.Is(err, fiscal.ErrCannotTell) {
		return "", false
	}
	switch {
	case errors.Is(err, fiscal.ErrCannotTell) && errors.Is(err, fiscal.ErrOutcomeUnknown):
		return tr("printer.cannot.tell.unknown"), true
	case errors.Is(err, fiscal.ErrCannotTell):
		return tr("printer.cannot.tell"), true
	case fe.Code == "PRINTER ERROR" && hasText(printerStatusKey(fe.Status)):
		return tr(printerStatusKey(fe.Status)), true
	case fe.Code != "PRINTER ERROR" && hasText(printerCodeKey(fe.Code)):
		return tr(printerCodeKey(fe.Code)), true
	case errors.Is(err, fiscal.ErrOutcomeUnknown):
		return tr("printer.outcome.unknown"), true
	case errors.Is(err, fiscal.ErrNotReady):
		return tr("printer.not.ready"), true
	case errors.Is(err, fiscal.ErrRefused):
		return tr("printer.refused"), true
	}
	return tr("printer.error"), true
}

var notKeyChars = regexp.MustCompile(`[^A-Za-z0-9]+`)

// printerCodeKey is the translation key of a printer or driver code ("PARSER_ERROR").
func printerCodeKey(code string) string {
	return "printer.code." + notKeyChars.ReplaceAllString(code, "_")
}

// printerStatusKey is the translation key of a printer's native status.
func printerStatusKey(status int) string { return "printer.status." + strconv.Itoa(status) }

// hasText tells whether the translations hold key.
func hasText(key string) bool { return lang.L(key) != key }
