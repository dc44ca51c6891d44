package config

// Condition is one of the four conditions for offering Coverflex on a till.
type Condition string

// The conditions, in the order of the portal's steps.
const (
	AccountEnabled    Condition = "account_enabled"     // step 1
	SalesPointVisible Condition = "sales_point_visible" // step 2
	MerchantIDSet     Condition = "merchant_id_set"     // step 3
	TerminalForTill   Condition = "terminal_for_till"   // step 4
)

// Conditions lists them in order.
var Conditions = []Condition{AccountEnabled, SalesPointVisible, MerchantIDSet, TerminalForTill}

// Availability says whether Coverflex is offered on this till, which conditions fail, and the
// terminals the till may use.
type Availability struct {
	Offered   bool
	Failing   []Condition
	Terminals []Device
}

// Coverflex applies the rule of config.md: account enabled ∧ sales point visible ∧ Merchant ID
// set ∧ at least one device with a valid Terminal ID enabled for this till. A nil document (no
// configuration yet) fails every condition.
func Coverflex(d *Document) Availability {
	if d == nil {
		return Availability{Failing: append([]Condition(nil), Conditions...)}
	}
	var a Availability
	if !d.Account.CoverflexEnabled {
		a.Failing = append(a.Failing, AccountEnabled)
	}
	if !d.SalesPoint.CoverflexVisible {
		a.Failing = append(a.Failing, SalesPointVisible)
	}
	if !ValidMerchantID(d.SalesPoint.CoverflexMerchantID) {
		a.Failing = append(a.Failing, MerchantIDSet)
	}
	a.Terminals = d.TerminalsFor(d.Till.ID)
	if len(a.Terminals) == 0 {
		a.Failing = append(a.Failing, TerminalForTill)
	}
	a.Offered = len(a.Failing) == 0
	return a
}

// TerminalsFor lists the Coverflex devices with a valid Terminal ID enabled for a till: the
// only terminals the till uses, for Coverflex and for cards. A device of another model is never
// among them, whatever its enabled tills say.
func (d *Document) TerminalsFor(tillID string) []Device {
	var out []Device
	for _, dev := range d.PaymentDevices {
		if !CoverflexModel(dev.Model) || !ValidTerminalID(dev.TerminalID) {
			continue
		}
		for _, t := range dev.EnabledTills {
			if t == tillID {
				out = append(out, dev)
				break
			}
		}
	}
	return out
}
