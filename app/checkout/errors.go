package checkout

import "errors"

// Input errors: each is shown to the cashier with what to do, and changes nothing.
var (
	ErrAmountTooLarge = errors.New("amount over 99.999,99 €")
	ErrZeroPrice      = errors.New("line with zero price")
	ErrNoPrice        = errors.New("type a price before the department")
	ErrEmptySale      = errors.New("the sale has no lines")
	ErrTenderTooLow   = errors.New("cash tendered is below the amount due")
	ErrBadQuantity    = errors.New("quantity must be between 1 and 9999")
	ErrNoLine         = errors.New("no such line")
	ErrBusy           = errors.New("a payment is in progress")
)
