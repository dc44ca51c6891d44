package epson

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"till/fiscal"
	"till/money"
)

// Text limits of the printer: longer text is refused, so it is cut before sending.
const (
	MaxItemText    = 38 // printRecItem, printRecTotal, printRecItemAdjustment, printRecRefund
	MaxMessageText = 46 // printRecMessage
	MaxVoidText    = 38 // printRecMessage messageType 4
)

// Command structs: field order is attribute order on the wire, the order Epson documents.

type beginFiscalReceipt struct {
	XMLName  xml.Name `xml:"beginFiscalReceipt"`
	Operator int      `xml:"operator,attr"`
}

type endFiscalReceipt struct {
	XMLName  xml.Name `xml:"endFiscalReceipt"`
	Operator int      `xml:"operator,attr"`
}

type printRecItem struct {
	XMLName       xml.Name `xml:"printRecItem"`
	Operator      int      `xml:"operator,attr"`
	Description   string   `xml:"description,attr"`
	Quantity      string   `xml:"quantity,attr"`
	UnitPrice     string   `xml:"unitPrice,attr"`
	Department    int      `xml:"department,attr"`
	Justification int      `xml:"justification,attr"`
}

type printRecRefund struct {
	XMLName       xml.Name `xml:"printRecRefund"`
	Operator      int      `xml:"operator,attr"`
	Description   string   `xml:"description,attr"`
	Quantity      string   `xml:"quantity,attr"`
	UnitPrice     string   `xml:"unitPrice,attr"`
	Department    int      `xml:"department,attr"`
	Justification int      `xml:"justification,attr"`
}

type printRecItemAdjustment struct {
	XMLName        xml.Name `xml:"printRecItemAdjustment"`
	Operator       int      `xml:"operator,attr"`
	AdjustmentType int      `xml:"adjustmentType,attr"`
	Description    string   `xml:"description,attr"`
	Amount         string   `xml:"amount,attr"`
	Department     int      `xml:"department,attr"`
	Justification  int      `xml:"justification,attr"`
}

type printRecSubtotal struct {
	XMLName  xml.Name `xml:"printRecSubtotal"`
	Operator int      `xml:"operator,attr"`
	Option   int      `xml:"option,attr"`
}

type printRecMessage struct {
	XMLName     xml.Name `xml:"printRecMessage"`
	Operator    int      `xml:"operator,attr"`
	MessageType int      `xml:"messageType,attr"`
	Index       int      `xml:"index,attr"`
	Font        int      `xml:"font,attr"`
	Message     string   `xml:"message,attr"`
}

type printRecLotteryID struct {
	XMLName  xml.Name `xml:"printRecLotteryID"`
	Operator int      `xml:"operator,attr"`
	Code     string   `xml:"code,attr"`
}

type printRecTotal struct {
	XMLName       xml.Name `xml:"printRecTotal"`
	Operator      int      `xml:"operator,attr"`
	Description   string   `xml:"description,attr"`
	Payment       string   `xml:"payment,attr"`
	PaymentType   int      `xml:"paymentType,attr"`
	Index         int      `xml:"index,attr"`
	Justification int      `xml:"justification,attr"`
}

type printXReport struct {
	XMLName  xml.Name `xml:"printXReport"`
	Operator int      `xml:"operator,attr"`
}

type printZReport struct {
	XMLName  xml.Name `xml:"printZReport"`
	Operator int      `xml:"operator,attr"`
	Timeout  int      `xml:"timeout,attr"`
}

type queryPrinterStatus struct {
	XMLName    xml.Name `xml:"queryPrinterStatus"`
	Operator   int      `xml:"operator,attr"`
	StatusType int      `xml:"statusType,attr"`
}

// root is one of printerFiscalReceipt, printerFiscalReport, printerCommand; Commands holds the
// command structs above, each named by its own XMLName.
type root struct {
	XMLName  xml.Name
	Commands []any
}

type envelope struct {
	XMLName xml.Name `xml:"s:Envelope"`
	NS      string   `xml:"xmlns:s,attr"`
	Body    struct {
		Root root
	} `xml:"s:Body"`
}

const soapNS = "http://schemas.xmlsoap.org/soap/envelope/"

// marshal wraps a root in the SOAP envelope the printer's web service expects.
func marshal(name string, commands []any) ([]byte, error) {
	var env envelope
	env.NS = soapNS
	env.Body.Root = root{XMLName: xml.Name{Local: name}, Commands: commands}
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>`)
	if err := xml.NewEncoder(&b).Encode(env); err != nil {
		return nil, fmt.Errorf("encode %s: %w", name, err)
	}
	return b.Bytes(), nil
}

// Truncate cuts s to at most n runes without splitting one, and drops control characters the
// printer would print as garbage.
func Truncate(s string, n int) string {
	var b []rune
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) {
			continue
		}
		if len(b) == n {
			break
		}
		b = append(b, r)
	}
	return string(b)
}

// ValidLotteryCode reports whether code is exactly 8 ASCII letters or digits.
func ValidLotteryCode(code string) bool {
	if len(code) != 8 {
		return false
	}
	for _, c := range []byte(code) {
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}

// Codes of refusals the driver decides itself, before anything is sent.
const (
	CodeEmptyReceipt     = "TILL_EMPTY_RECEIPT"
	CodeUnderpaid        = "TILL_PAYMENTS_BELOW_TOTAL"
	CodeBadLottery       = "TILL_BAD_LOTTERY_CODE"
	CodeLotteryNoCard    = "TILL_LOTTERY_WITHOUT_ELECTRONIC_PAYMENT"
	CodeUnknownDept      = "TILL_UNMAPPED_DEPARTMENT"
	CodeUnknownPayment   = "TILL_UNKNOWN_PAYMENT_METHOD"
	CodeBadAmount        = "TILL_BAD_AMOUNT"
	CodeNothingToRefund  = "TILL_NOTHING_TO_REFUND"
	CodeBadOriginalRef   = "TILL_BAD_ORIGINAL_DOCUMENT"
	CodeUnreadableAnswer = "TILL_UNREADABLE_ANSWER"
)

func refuse(code, detail string) error {
	return &fiscal.Error{Kind: fiscal.ErrRefused, Code: code, Detail: detail}
}

func operator(n int) int {
	if n <= 0 {
		return 1
	}
	return n
}

// BuildReceipt returns the request body for a receipt, or a *fiscal.Error with ErrRefused when
// a real RT would refuse it (so the till learns before paper moves).
func BuildReceipt(r fiscal.Receipt, depts DepartmentMap, pays PaymentMap) ([]byte, error) {
	op := operator(r.Operator)
	if len(r.Lines) == 0 {
		return nil, refuse(CodeEmptyReceipt, "receipt has no lines")
	}
	if r.Paid() < r.Total() {
		return nil, refuse(CodeUnderpaid, fmt.Sprintf("paid %s of %s", r.Paid(), r.Total()))
	}
	items, err := itemCommands(op, r.Lines, depts)
	if err != nil {
		return nil, err
	}
	cmds := append([]any{beginFiscalReceipt{Operator: op}}, items...)
	if r.CustomerTaxID != "" {
		cmds = append(cmds, printRecMessage{Operator: op, MessageType: 3, Index: 1, Font: 1,
			Message: Truncate("C.F./P.IVA CLIENTE "+r.CustomerTaxID, MaxMessageText)})
	}
	cmds = append(cmds, printRecSubtotal{Operator: op, Option: 1})
	totals, electronic, err := totalCommands(op, r.Payments, pays)
	if err != nil {
		return nil, err
	}
	if r.LotteryCode != "" {
		if !ValidLotteryCode(r.LotteryCode) {
			return nil, refuse(CodeBadLottery, "lottery code must be 8 letters or digits")
		}
		if !electronic {
			return nil, refuse(CodeLotteryNoCard, "lottery code needs an electronic payment")
		}
		cmds = append(cmds, printRecLotteryID{Operator: op, Code: r.LotteryCode})
	}
	cmds = append(cmds, totals...)
	cmds = append(cmds, endFiscalReceipt{Operator: op})
	return marshal("printerFiscalReceipt", cmds)
}

// totalCommands makes one printRecTotal per payment and says whether one is electronic.
func totalCommands(op int, payments []fiscal.Payment, pays PaymentMap) ([]any, bool, error) {
	var cmds []any
	electronic := false
	for _, p := range payments {
		pt, ok := pays.lookup(p.Method)
		if !ok {
			return nil, false, refuse(CodeUnknownPayment, fmt.Sprintf("payment method %q", p.Method))
		}
		if p.Amount <= 0 || p.Amount > money.MaxAmount {
			return nil, false, refuse(CodeBadAmount, fmt.Sprintf("payment %s", p.Amount))
		}
		desc := p.Description
		if desc == "" {
			desc = pt.Description
		}
		electronic = electronic || pt.Electronic()
		cmds = append(cmds, printRecTotal{Operator: op, Description: Truncate(desc, MaxItemText),
			Payment: p.Amount.Decimal(), PaymentType: pt.Type, Index: pt.Index, Justification: 1})
	}
	return cmds, electronic, nil
}

// voidLine is the reference line a void or refund starts with: KIND ZZZZ NNNN DDMMYYYY SERIAL.
func voidLine(op int, kind string, ref fiscal.DocumentRef) (printRecMessage, error) {
	if ref.ZNumber <= 0 || ref.Number <= 0 || ref.IssuedAt.IsZero() || ref.PrinterSerial == "" {
		return printRecMessage{}, refuse(CodeBadOriginalRef, "original document needs Z, number, date and serial")
	}
	text := fmt.Sprintf("%s %04d %04d %s %s", kind, ref.ZNumber, ref.Number,
		ref.IssuedAt.Format("02012006"), ref.PrinterSerial)
	return printRecMessage{Operator: operator(op), MessageType: 4, Index: 1, Font: 1, Message: Truncate(text, MaxVoidText)}, nil
}

// BuildVoid returns the request voiding (annullo) a whole earlier document, as operator 1.
func BuildVoid(ref fiscal.DocumentRef) ([]byte, error) { return BuildVoidAs(1, ref) }

// BuildVoidAs returns the request voiding a whole earlier document, as operator op.
func BuildVoidAs(op int, ref fiscal.DocumentRef) ([]byte, error) {
	op = operator(op)
	msg, err := voidLine(op, "VOID", ref)
	if err != nil {
		return nil, err
	}
	return marshal("printerFiscalReceipt", []any{msg, beginFiscalReceipt{Operator: op}, endFiscalReceipt{Operator: op}})
}

// BuildRefund returns the request refunding (reso) some lines of an earlier document, as
// operator 1.
func BuildRefund(ref fiscal.DocumentRef, lines []fiscal.Line, payments []fiscal.Payment, depts DepartmentMap, pays PaymentMap) ([]byte, error) {
	return BuildRefundAs(1, ref, lines, payments, depts, pays)
}

// BuildRefundAs returns the request refunding some lines of an earlier document, as operator op.
func BuildRefundAs(op int, ref fiscal.DocumentRef, lines []fiscal.Line, payments []fiscal.Payment, depts DepartmentMap, pays PaymentMap) ([]byte, error) {
	op = operator(op)
	msg, err := voidLine(op, "REFUND", ref)
	if err != nil {
		return nil, err
	}
	if len(lines) == 0 {
		return nil, refuse(CodeNothingToRefund, "refund has no lines")
	}
	cmds := []any{msg, beginFiscalReceipt{Operator: op}}
	var total money.Cents
	for i, l := range lines {
		p, err := onPaper(l)
		if err != nil {
			return nil, refuse(CodeBadAmount, fmt.Sprintf("refund line %d: %v", i+1, err))
		}
		d, ok := depts.Printer(l)
		if !ok {
			return nil, refuse(CodeUnknownDept, fmt.Sprintf("refund line %d: department %d", i+1, l.Department))
		}
		// A discounted line is refunded at what the customer paid for it.
		amount := l.Amount()
		if l.Discount != 0 {
			p.unitPrice, p.qtyMilli = amount, 1000
		}
		total += amount
		cmds = append(cmds, printRecRefund{Operator: op, Description: p.description,
			Quantity: money.Qty(p.qtyMilli), UnitPrice: p.unitPrice.Decimal(), Department: d, Justification: 1})
	}
	var paid money.Cents
	for _, p := range payments {
		paid += p.Amount
	}
	if paid < total {
		return nil, refuse(CodeUnderpaid, fmt.Sprintf("refund pays back %s of %s", paid, total))
	}
	totals, _, err := totalCommands(op, payments, pays)
	if err != nil {
		return nil, err
	}
	cmds = append(cmds, totals...)
	cmds = append(cmds, endFiscalReceipt{Operator: op})
	return marshal("printerFiscalReceipt", cmds)
}

// BuildZReport returns the daily closure request; timeoutMS is how long the printer may take.
func BuildZReport(timeoutMS int) ([]byte, error) {
	return marshal("printerFiscalReport", []any{printZReport{Operator: 1, Timeout: timeoutMS}})
}

// BuildXReport returns the request for a daily report without closure.
func BuildXReport() ([]byte, error) {
	return marshal("printerFiscalReport", []any{printXReport{Operator: 1}})
}

// BuildStatus returns queryPrinterStatus with statusType 1, which includes the RT fields.
func BuildStatus() ([]byte, error) {
	return marshal("printerCommand", []any{queryPrinterStatus{Operator: 1, StatusType: 1}})
}

// timeoutParam is the printer-side timeout in milliseconds for the query string.
func timeoutParam(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) }
