package epson

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"till/fiscal"
	"till/money"
)

// DefaultDiscountText is printed on a discount whose line gives no text of its own.
const DefaultDiscountText = "SCONTO"

// itemCommands makes one printRecItem per line, followed by one printRecItemAdjustment type 0
// (a discount on the last item, in the item's department) for a discounted line; receipts and
// courtesy invoices print their lines the same way. A discount on the whole sale reaches the
// driver already shared out over the lines (fiscal.Line), never as a subtotal adjustment:
// how a printer would split one over its VAT rates is not in its contract.
func itemCommands(op int, lines []fiscal.Line, depts DepartmentMap) ([]any, error) {
	var cmds []any
	for i, l := range lines {
		p, err := onPaper(l)
		if err != nil {
			return nil, refuse(CodeBadAmount, fmt.Sprintf("line %d: %v", i+1, err))
		}
		if l.Discount < 0 || l.Amount() < 0 {
			return nil, refuse(CodeBadAmount, fmt.Sprintf("line %d: discount %s over the line's %s", i+1, l.Discount, l.Gross()))
		}
		d, ok := depts.Printer(l)
		if !ok {
			return nil, refuse(CodeUnknownDept, fmt.Sprintf("line %d: department %d rate %s", i+1, l.Department, l.VATRate))
		}
		cmds = append(cmds, printRecItem{Operator: op, Description: p.description,
			Quantity: money.Qty(p.qtyMilli), UnitPrice: p.unitPrice.Decimal(), Department: d, Justification: 1})
		if l.Discount > 0 {
			text := Truncate(l.DiscountText, MaxItemText)
			if strings.TrimSpace(text) == "" {
				text = DefaultDiscountText
			}
			cmds = append(cmds, printRecItemAdjustment{Operator: op, AdjustmentType: 0, Description: text,
				Amount: l.Discount.Decimal(), Department: d, Justification: 1})
		}
	}
	return cmds, nil
}

// maxQtyMilli bounds a quantity (the printer takes six integer digits), which also keeps
// UnitPrice × QtyMilli far from overflowing.
const maxQtyMilli = 999_999_999

// paperLine is how one till line is printed: description, quantity and unit price.
type paperLine struct {
	description string
	qtyMilli    int64
	unitPrice   money.Cents
}

// onPaper decides how a line is printed so that the printer, which multiplies quantity by unit
// price itself, books exactly the till's amount (UnitPrice.Mul(QtyMilli), before discount).
// A line whose exact amount is a whole number of cents is sent as it is. Otherwise how the
// printer would round is not in its contract (one printed 1,33 where the till had 1,34), so the
// line is sent as quantity 1 at its amount rounded half away from zero, and the quantity and
// unit price go on paper in the description: "PROSCIUTTO COTTO 0,335x3,99". A line worth less
// than one cent (0,001 × 5,00) is refused: it would print as 0,00 or as a cent nobody sold.
func onPaper(l fiscal.Line) (paperLine, error) {
	if l.QtyMilli <= 0 || l.QtyMilli > maxQtyMilli || l.UnitPrice < 0 || l.UnitPrice > money.MaxAmount {
		return paperLine{}, errors.New("quantity or price out of range")
	}
	exact := int64(l.UnitPrice) * l.QtyMilli // thousandths of a cent
	if exact < 1000 {
		return paperLine{}, fmt.Errorf("%s × %s is less than one cent", money.Qty(l.QtyMilli), l.UnitPrice)
	}
	if exact%1000 == 0 {
		return paperLine{description: Truncate(l.Description, MaxItemText), qtyMilli: l.QtyMilli, unitPrice: l.UnitPrice}, nil
	}
	return paperLine{description: describeQuantity(l.Description, l.QtyMilli, l.UnitPrice),
		qtyMilli: 1000, unitPrice: l.UnitPrice.Mul(l.QtyMilli)}, nil
}

// describeQuantity shortens desc so that " 0,335x3,99" fits after it within MaxItemText.
func describeQuantity(desc string, qtyMilli int64, unit money.Cents) string {
	suffix := money.Qty(qtyMilli) + "x" + unit.Plain()
	head := strings.TrimRightFunc(Truncate(desc, MaxItemText-1-utf8.RuneCountInString(suffix)), unicode.IsSpace)
	if strings.TrimSpace(head) == "" {
		return suffix
	}
	return head + " " + suffix
}
