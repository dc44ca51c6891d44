package errtext

import (
	"till/app/checkout"
	"till/internal/i18n"
)

// PaymentState names a payment attempt's state for people, in the run's language (a command's
// JSON keeps the state's own name); a state it does not know comes back as it is.
func PaymentState(state string) string {
	switch checkout.AttemptState(state) {
	case checkout.AttemptCreated, checkout.AttemptSent:
		return i18n.T("cli.sale.payment.sent")
	case checkout.AttemptUnknown:
		return i18n.T("cli.sale.payment.unknown")
	case checkout.AttemptApproved:
		return i18n.T("cli.sale.payment.approved")
	case checkout.AttemptDeclined:
		return i18n.T("cli.sale.payment.declined")
	case checkout.AttemptCancelled:
		return i18n.T("cli.sale.payment.cancelled")
	case checkout.AttemptDocumented:
		return i18n.T("cli.sale.payment.documented")
	case checkout.AttemptReversed:
		return i18n.T("cli.sale.payment.reversed")
	}
	return state
}
