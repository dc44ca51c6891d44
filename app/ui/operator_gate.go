package ui

import "till/app/checkout"

// asManager runs then as a manager: at once when the current operator is one, otherwise after
// a manager types their PIN on the PIN pad (recorded in the audit log). action names what is
// asked, for the PIN pad's title and the audit log.
//
// Placeholder until operators reach the window: everyone is the implicit manager.
func (t *Till) asManager(action string, then func(checkout.Operator)) {
	then(checkout.ImplicitOperator)
}
