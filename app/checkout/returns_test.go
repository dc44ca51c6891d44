package checkout

import (
	"context"
	"errors"
	"testing"

	"till/fiscal"
	"till/money"
)

func TestReturnWalksEveryEdgeOfTheDiagram(t *testing.T) {
	states := []ReturnState{ReturnPrinting, ReturnDocumented, ReturnRefused, ReturnUncertain}
	allowed := map[[2]ReturnState]bool{
		{ReturnPrinting, ReturnDocumented}: true, {ReturnPrinting, ReturnRefused}: true, {ReturnPrinting, ReturnUncertain}: true,
		{ReturnUncertain, ReturnDocumented}: true, {ReturnUncertain, ReturnRefused}: true,
	}
	for _, from := range states {
		for _, to := range states {
			if got := from.CanMove(to); got != allowed[[2]ReturnState{from, to}] {
				t.Errorf("%s → %s: %v", from, to, got)
			}
		}
	}
}

// returnable is a sale of 3 × 1,00 (10 % off the line) and 1 × 2,00, with 10 % off the sale:
// the customer paid 2,43 and 1,80.
func returnable(returned map[int]int64) Returnable {
	dep := Department{Number: 1, VATRate: 2200}
	s := &Sale{ID: "s", Lines: []Line{
		{Description: "A", QtyMilli: 3000, UnitPrice: 100, Department: dep, Discount: Discount{Percent: 1000}},
		{Description: "B", QtyMilli: 1000, UnitPrice: 200, Department: dep},
	}, Discount: Discount{Percent: 1000}}
	return Returnable{Sale: s, Document: Document{Label: "0001-0001"}, Returned: returned}
}

func TestReturnLinesGiveBackWhatWasPaidAndNoMore(t *testing.T) {
	tests := []struct {
		name     string
		kind     ReturnKind
		returned map[int]int64
		wanted   []Wanted
		amounts  []money.Cents
		err      error
	}{
		{"one of three", KindRefund, nil, []Wanted{{0, 1000}}, []money.Cents{81}, nil},
		{"the parts add up", KindRefund, map[int]int64{0: 1000}, []Wanted{{0, 2000}}, []money.Cents{162}, nil},
		{"what is left", KindRefund, map[int]int64{0: 1000}, []Wanted{{0, 0}}, []money.Cents{162}, nil},
		{"every line when none asked", KindRefund, nil, nil, []money.Cents{243, 180}, nil},
		{"over what is left", KindRefund, map[int]int64{0: 2500}, []Wanted{{0, 1000}}, nil, ErrAlreadyReturned},
		{"a line already back", KindRefund, map[int]int64{1: 1000}, []Wanted{{1, 0}}, nil, ErrAlreadyReturned},
		{"no such line", KindRefund, nil, []Wanted{{5, 0}}, nil, ErrNotReturnable},
		{"the same line twice", KindRefund, nil, []Wanted{{0, 1000}, {0, 1000}}, nil, ErrNotReturnable},
		{"void: everything", KindVoid, nil, nil, []money.Cents{243, 180}, nil},
		{"void after a refund", KindVoid, map[int]int64{1: 1000}, nil, nil, ErrAlreadyReturned},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReturnLines(returnable(tt.returned), tt.kind, tt.wanted)
			if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
				t.Fatalf("err %v, want %v", err, tt.err)
			}
			if len(got) != len(tt.amounts) {
				t.Fatalf("lines %+v", got)
			}
			for i, l := range got {
				if l.Amount != tt.amounts[i] || l.Line.Amount() != l.Amount {
					t.Errorf("line %d: %s (printed %s), want %s", i, l.Amount, l.Line.Amount(), tt.amounts[i])
				}
			}
		})
	}
}

func TestPlanMoneyReversesWholePaymentsThenCash(t *testing.T) {
	card := Attempt{ID: "a1", Method: fiscal.Card, State: AttemptDocumented, Authorized: 1000, STAN: "000010", DeviceID: "d"}
	cfx := Attempt{ID: "a2", Method: fiscal.Coverflex, State: AttemptDocumented, Authorized: 800, STAN: "000011", DeviceID: "d"}
	type share struct {
		method fiscal.PaymentMethod
		amount money.Cents
		state  MoneyState
	}
	tests := []struct {
		name     string
		amount   money.Cents
		cash     money.Cents
		attempts []Attempt
		given    map[string]money.Cents
		want     []share
	}{
		{"cash only", 300, 500, nil, nil, []share{{fiscal.Cash, 300, MoneyPlanned}}},
		{"the whole coverflex", 800, 0, []Attempt{cfx}, nil, []share{{fiscal.Coverflex, 800, MoneyPlanned}}},
		{"last payment first", 1800, 0, []Attempt{card, cfx}, nil, []share{{fiscal.Coverflex, 800, MoneyPlanned}, {fiscal.Card, 1000, MoneyPlanned}}},
		{"part of a payment is a person's", 500, 0, []Attempt{card}, nil, []share{{fiscal.Card, 500, MoneyManual}}},
		{"cash before a part", 1300, 400, []Attempt{card}, nil, []share{{fiscal.Card, 1000, MoneyPlanned}, {fiscal.Cash, 300, MoneyPlanned}}},
		{"reversed payments are not given back again", 300, 300, []Attempt{{Method: fiscal.Card, State: AttemptReversed, Authorized: 300}}, nil,
			[]share{{fiscal.Cash, 300, MoneyPlanned}}},
	}
	tests = append(tests, []struct {
		name     string
		amount   money.Cents
		cash     money.Cents
		attempts []Attempt
		given    map[string]money.Cents
		want     []share
	}{
		{"a payment given back earlier is not reversed again", 1000, 0, []Attempt{card, cfx}, map[string]money.Cents{"a2": 800},
			[]share{{fiscal.Card, 1000, MoneyPlanned}}},
		{"a payment given back in part is never reversed whole", 300, 0, []Attempt{card}, map[string]money.Cents{"a1": 700},
			[]share{{fiscal.Card, 300, MoneyManual}}},
		{"cash given back earlier", 300, 500, nil, map[string]money.Cents{"": 400}, []share{{fiscal.Cash, 100, MoneyPlanned}, {fiscal.Cash, 200, MoneyManual}}},
	}...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PlanMoney(tt.amount, tt.cash, tt.attempts, tt.given)
			if len(got) != len(tt.want) {
				t.Fatalf("plan %+v", got)
			}
			var sum money.Cents
			for i, m := range got {
				sum += m.Amount
				if w := tt.want[i]; m.Method != w.method || m.Amount != w.amount || m.State != w.state {
					t.Errorf("share %d: %+v, want %+v", i, m, w)
				}
				if m.State == MoneyManual && m.Detail == "" {
					t.Errorf("share %d: a person's job without a word of what to do", i)
				}
			}
			if sum != tt.amount {
				t.Errorf("plan gives back %s of %s", sum, tt.amount)
			}
		})
	}
}

func TestOnlyAManagerReturnsAnything(t *testing.T) {
	rs := &Returns{} // no journal, no printer: the check comes before either is touched
	for _, op := range []Operator{{Number: 2, Role: RoleCashier}, {Number: 3}} {
		if _, err := rs.Do(context.Background(), ReturnRequest{Kind: KindRefund, Number: "0001-0001", Operator: op}); !errors.Is(err, ErrNotManager) {
			t.Errorf("operator %+v: %v", op, err)
		}
		if _, err := rs.SettleUncertain(context.Background(), "r", "", op); !errors.Is(err, ErrNotManager) {
			t.Errorf("operator %+v settles: %v", op, err)
		}
	}
}
