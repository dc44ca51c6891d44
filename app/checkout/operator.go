package checkout

// Roles an operator can have.
const (
	RoleCashier = "cashier"
	RoleManager = "manager"
)

// Operator is a person working the till: a number (printed on receipts as the fpmate operator
// and written in the journal), a name and a role. A till with no operators works with the
// implicit operator 1, a manager.
type Operator struct {
	ID     string
	Number int
	Name   string
	Role   string
}

// ImplicitOperator is who works a till that has no operators.
var ImplicitOperator = Operator{Number: 1, Name: "", Role: RoleManager}

// IsManager tells whether the operator may do what only a manager may.
func (o Operator) IsManager() bool { return o.Role == RoleManager }
