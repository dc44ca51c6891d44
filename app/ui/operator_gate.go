package ui

import "till/app/checkout"

// asManager runs then as a manager: at once when the current operator is one, otherwise after
// a manager types their PIN on the PIN pad (the check is recorded in the audit log). action
// names what is asked, for the PIN pad's title: a translation key or a text already
// translated. A refused PIN does nothing and says why in the pad; Annulla does nothing.
func (t *Till) asManager(action string, then func(checkout.Operator)) {
	switch {
	case !t.opsKnown:
		// The till has not yet read whether it has operators (a moment at start): nobody is
		// a manager until it knows.
		t.sale.setMessage(tr("loading"), false)
	case t.operator.IsManager():
		then(t.operator)
	default:
		t.openPIN(tr("operator.manager.title", map[string]any{"Action": tr(action)}), tr("operator.manager.hint"),
			true, true, then)
	}
}
