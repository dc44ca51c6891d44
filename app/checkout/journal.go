package checkout

import (
	"time"

	"till/fiscal"
	"till/money"
)

// JournalEntry is one sale of the day as the journal lists it.
type JournalEntry struct {
	SaleID     string
	At         time.Time
	Total      money.Cents
	Methods    []fiscal.PaymentMethod
	Documented bool
	Cancelled  bool
	Document   string // "0001-0012"; empty while pending
	// PrintUncertain: the receipt may have been issued, a person must say whether it was.
	PrintUncertain bool
	// PaymentUnknown: an electronic payment's outcome is not known yet.
	PaymentUnknown bool
	// Declined: an electronic payment was declined (no money taken) and none was approved.
	Declined bool
}

// DayTotals sums a day's documented sales; pending ones are only counted.
type DayTotals struct {
	Sales        int
	Total        money.Cents
	ByMethod     map[fiscal.PaymentMethod]money.Cents
	ByDepartment []DepartmentTotal
	Pending      int
}

// DepartmentTotal is a day's takings in one department.
type DepartmentTotal struct {
	Number  int
	Name    string
	VATRate money.Rate
	Nature  string
	Total   money.Cents
}
