// Package errtext puts the errors of the till's core (checkout, invoicing customers, storage,
// operators' PINs, the fiscal printer, the terminals, the day's close) in words for a person at
// the command line, in the run's language (internal/i18n): what went wrong and what to do
// next. The Go error's own text is technical English; it may follow on a line of its own
// (Detail), never stand alone.
package errtext

import (
	"errors"
	"strings"
	"time"

	"till/app/catalogue"
	"till/app/checkout"
	"till/app/dayclose"
	"till/app/opauth"
	"till/fiscal"
	"till/fiscal/epson"
	"till/internal/i18n"
	"till/pos"
	"till/storage"
)

// Text says err in the run's language. An error with no text of its own comes out as a
// generic sentence followed by its technical detail.
func Text(err error) string { return In(i18n.Lang(), err) }

// Explain is Text followed, on a line of its own, by the technical detail (Detail).
func Explain(err error) string {
	lang := i18n.Lang()
	text := In(lang, err)
	if !Known(err) {
		return text // the detail is in it already
	}
	if d := detailIn(lang, err); d != "" {
		return text + "\n" + d
	}
	return text
}

// Detail is the line "dettaglio: …" ("detail: …" in English) with the error's technical text,
// or "" when that text says nothing the translated one does not.
func Detail(err error) string { return detailIn(i18n.Lang(), err) }

// Known tells whether err has a text of its own.
func Known(err error) bool {
	_, ok := known(i18n.Lang(), err)
	return ok
}

// In is Text in a given language ("it" or "en").
func In(lang string, err error) string {
	if err == nil {
		return ""
	}
	if text, ok := known(lang, err); ok {
		return text
	}
	return i18n.In(lang, "cli.err.unexpected") + "\n" + detailIn(lang, err)
}

// Said is an error already put in words by a command: the key of its text, with its data,
// and the error it gives context to, if any ("the line … : " and then that error's text).
type Said struct {
	Key  string
	Data map[string]any
	Err  error
}

// Say returns an error whose text for people is key's, with data.
func Say(key string, data map[string]any) error { return &Said{Key: key, Data: data} }

// Wrap returns err with key's text in front of err's own.
func Wrap(err error, key string, data map[string]any) error {
	return &Said{Key: key, Data: data, Err: err}
}

// Error is the text in English, for logs; people get Text.
func (e *Said) Error() string {
	s := i18n.In("en", e.Key, e.Data)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Said) Unwrap() error { return e.Err }

func detailIn(lang string, err error) string {
	var said *Said
	if errors.As(err, &said) {
		if said.Err == nil {
			return ""
		}
		err = said.Err
	}
	// opauth's text is for people already; its cause is the technical part.
	var pin *opauth.Error
	if errors.As(err, &pin) && pin.Err != nil {
		err = pin.Err
	}
	return i18n.In(lang, "cli.err.detail", map[string]any{"Detail": err.Error()})
}

// known returns err's own text, if it has one.
func known(lang string, err error) (string, bool) {
	var said *Said
	if errors.As(err, &said) {
		text := i18n.In(lang, said.Key, said.Data)
		if said.Err == nil {
			return text, true
		}
		inner, ok := known(lang, said.Err)
		if !ok {
			return text, true
		}
		return text + " " + inner, true
	}
	var mismatch *checkout.AmountMismatch
	var customer *checkout.CustomerError
	var locked *storage.PINLockedError
	var open *dayclose.OpenError
	var invalid *catalogue.Invalid
	switch {
	case errors.As(err, &mismatch):
		return i18n.In(lang, "cli.err.amount.mismatch", map[string]any{"Document": mismatch.Document,
			"Printed": mismatch.Printed.String(), "Sale": mismatch.Sale.String()}), true
	case errors.As(err, &customer):
		key := "customer.err." + customer.Field + "." + customer.Reason
		if i18n.Has(key) {
			return i18n.In(lang, "cli.err.customer", map[string]any{"Problem": i18n.In(lang, key)}), true
		}
		return i18n.In(lang, "cli.err.customer", map[string]any{"Problem": customer.Field + " (" + customer.Reason + ")"}), true
	case errors.As(err, &locked):
		return i18n.In(lang, "cli.err.pin.locked", map[string]any{"Until": locked.Until.Local().Format(time.TimeOnly)}), true
	case errors.As(err, &open):
		if len(open.Payments) == 1 {
			return i18n.In(lang, "cli.err.close.open.one"), true
		}
		return i18n.In(lang, "cli.err.close.open.other", map[string]any{"Count": len(open.Payments)}), true
	case errors.As(err, &invalid):
		var lines []string
		for _, p := range invalid.Problems {
			lines = append(lines, p.Message(lang == "en"))
		}
		return i18n.In(lang, "cli.err.catalogue.invalid", map[string]any{"Problems": strings.Join(lines, "; ")}), true
	}
	for _, k := range keys {
		if errors.Is(err, k.err) {
			return i18n.In(lang, k.key), true
		}
	}
	// The printer's own code or status (paper out, cover open…), in the printer driver's words.
	var fe *fiscal.Error
	if errors.As(err, &fe) || errors.Is(err, fiscal.ErrCannotTell) {
		return epson.Message(err, lang), true
	}
	for _, k := range laterKeys {
		if errors.Is(err, k.err) {
			return i18n.In(lang, k.key), true
		}
	}
	return "", false
}

// keys maps errors to their texts, the more specific first: a wrapped error takes the first
// entry it unwraps to. The till's own errors come before the printer's and the terminal's they
// may wrap, because they say what happened to the sale.
var keys = []struct {
	err error
	key string
}{
	{checkout.ErrPrintUncertain, "cli.err.print.uncertain"},
	{checkout.ErrReturnUncertain, "cli.err.return.uncertain"},
	{checkout.ErrMoneyUnknown, "cli.err.money.unknown"},
	{checkout.ErrBlocked, "cli.err.blocked"},
	{checkout.ErrUnresolved, "cli.err.unresolved"},
	{checkout.ErrDeclined, "cli.err.declined"},
	{checkout.ErrPrinterNotReady, "cli.err.printer.not.ready"},
	{checkout.ErrTenderTooLow, "cli.err.tender.too.low"},
	{checkout.ErrNotCovered, "cli.err.tender.too.low"},
	{checkout.ErrOverDue, "cli.err.over.due"},
	{checkout.ErrAmountTooLarge, "cli.err.amount.too.large"},
	{checkout.ErrZeroPrice, "cli.err.zero.price"},
	{checkout.ErrLineTooSmall, "cli.err.line.too.small"},
	{checkout.ErrEmptySale, "cli.err.empty.sale"},
	{checkout.ErrBadQuantity, "cli.err.bad.quantity"},
	{checkout.ErrNoLine, "cli.err.no.line"},
	{checkout.ErrBadDocumentNumber, "cli.err.bad.document.number"},
	{checkout.ErrNotUncertain, "cli.err.not.uncertain"},
	{checkout.ErrOverpay, "cli.err.overpay"},
	{checkout.ErrBadSlip, "cli.err.bad.slip"},
	{checkout.ErrStale, "cli.err.stale"},
	{checkout.ErrDiscountNeedsConfirm, "cli.err.discount.needs.confirm"},
	{checkout.ErrBadDiscount, "cli.err.bad.discount"},
	{checkout.ErrBusy, "err.busy"},
	{checkout.ErrInFlight, "err.in.flight"},
	{checkout.ErrReversalFailed, "err.reversal.failed"},
	{checkout.ErrNoCopies, "err.no.copies"},
	{checkout.ErrNoInvoices, "err.no.invoices"},
	{checkout.ErrOnlyLastDocument, "cli.err.only.last.document"},
	{checkout.ErrNotCurrentDay, "cli.err.not.current.day"},
	{checkout.ErrNotManager, "cli.err.return.not.manager"},
	{checkout.ErrAlreadyReturned, "cli.err.already.returned"},
	{checkout.ErrSerialUnknown, "cli.err.serial.unknown"},
	{checkout.ErrNotReturnable, "cli.err.not.returnable"},
	{checkout.ErrInvalidCustomer, "cli.err.customer.invalid"},
	{dayclose.ErrZUnknown, "cli.err.z.unknown"},
	{dayclose.ErrNoZToSettle, "cli.err.no.z.to.settle"},
	{dayclose.ErrZRefused, "cli.err.z.refused"},
	{dayclose.ErrTerminalsOpen, "cli.err.terminals.open"},
	{storage.ErrNotSQLite, "cli.err.db.not.sqlite"},
	{storage.ErrCorrupt, "cli.err.db.corrupt"},
	{storage.ErrNewerSchema, "cli.err.db.newer"},
	{storage.ErrNotDirectory, "cli.err.db.folder"},
	{storage.ErrNoDatabase, "cli.err.db.missing"},
	{storage.ErrPINRequired, "cli.err.pin.required"},
	{storage.ErrWrongPIN, "cli.err.pin.wrong"},
	{storage.ErrNotManager, "cli.err.pin.not.manager"},
	{storage.ErrNoOperators, "cli.err.pin.no.operators"},
	{storage.ErrBadPIN, "cli.err.operator.bad.pin"},
	{storage.ErrBadOperator, "cli.err.operator.bad"},
	{storage.ErrPINInUse, "cli.err.operator.pin.in.use"},
	{storage.ErrFirstManager, "cli.err.operator.first.manager"},
	{storage.ErrNoSuchOp, "cli.err.operator.none"},
	{storage.ErrLastManager, "cli.err.operator.last.manager"},
	{storage.ErrNoSale, "cli.err.no.sale"},
	{storage.ErrNotPending, "cli.err.not.pending"},
	{storage.ErrNoCustomer, "cli.err.no.customer"},
	{storage.ErrNoProduct, "cli.err.no.product"},
	{storage.ErrCatalogueManaged, "cli.err.catalogue.managed"},
	{storage.ErrCloseStale, "cli.err.close.stale"},
}

// laterKeys are the printer's and the terminal's errors without a code of their own, after
// the printer's coded errors.
var laterKeys = []struct {
	err error
	key string
}{
	{fiscal.ErrOutcomeUnknown, "printer.outcome.unknown"},
	{fiscal.ErrNotReady, "printer.not.ready"},
	{fiscal.ErrRefused, "printer.refused"},
	{fiscal.ErrNotSupported, "cli.err.printer.not.supported"},
	{pos.ErrOutcomeUnknown, "cli.err.pos.unknown"},
	{pos.ErrNotDelivered, "cli.err.pos.not.delivered"},
	{pos.ErrDeclined, "cli.err.declined"},
	{pos.ErrForeignTerminal, "cli.err.pos.foreign"},
	{pos.ErrMalformedResult, "cli.err.pos.malformed"},
}
