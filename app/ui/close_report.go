package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"till/app/dayclose"
	"till/fiscal"
	"till/money"
	"till/storage"
)

// reportLines words a close as it stands: per terminal the till's total, the terminal's, the
// difference and the till's split per method, with the sales involved when they differ; the
// cash drawer; the Z report.
func reportLines(rep *dayclose.Report) []closeLine {
	cl := rep.Close
	var lines []closeLine
	if rep.Resumed {
		lines = append(lines, closeLine{text: tr("close.resumed")})
	}
	for _, t := range rep.Terminals {
		lines = append(lines, closeLine{text: fmt.Sprintf("%s · %s", t.Name, tr("close.terminal.state."+string(t.State))), strong: true})
		if t.Shared {
			lines = append(lines, closeLine{text: "  " + tr("close.terminal.shared")})
		}
		lines = append(lines,
			closeLine{text: "  " + tr("close.till.total"), amount: t.Till.Plain()},
			closeLine{text: "    " + methodName(fiscal.Coverflex), amount: t.Coverflex.Plain()},
			closeLine{text: "    " + methodName(fiscal.Card), amount: t.Card.Plain()},
			closeLine{text: "  " + tr("close.terminal.total"), amount: t.Terminal.Plain()},
			closeLine{text: "  " + tr("close.difference"), amount: signed(t.Difference()), strong: t.Difference() != 0})
		for _, p := range t.Payments {
			text := fmt.Sprintf("    %s  %s  STAN %s", p.At.Local().Format("15:04"), methodName(fiscal.PaymentMethod(p.Method)), p.STAN)
			lines = append(lines, closeLine{text: text, amount: p.Amount.Plain()})
		}
	}
	if cl.State != storage.CloseTerminals {
		lines = append(lines, closeLine{text: methodName(fiscal.Cash), strong: true},
			closeLine{text: "  " + tr("close.cash.expected"), amount: cl.CashExpected.Plain()})
		if cl.CashCounted != nil {
			lines = append(lines, closeLine{text: "  " + tr("close.cash.counted"), amount: cl.CashCounted.Plain()},
				closeLine{text: "  " + tr("close.difference"), amount: signed(rep.CashDifference()), strong: rep.CashDifference() != 0})
		} else {
			lines = append(lines, closeLine{text: "  " + tr("close.cash.not.counted")})
		}
	}
	if cl.State == storage.CloseDone {
		lines = append(lines, closeLine{text: tr("close.z", map[string]any{"Z": cl.ZNumber}), amount: cl.ZTotal.Plain(), strong: true})
	}
	return lines
}

// signed shows a difference with its sign: "+1,20", "-0,50", "0,00".
func signed(c money.Cents) string {
	if c > 0 {
		return "+" + c.Plain()
	}
	return c.Plain()
}

// zCheck asks a manager about a Z report whose answer was lost: it may be on the paper. Only
// their answer moves the close on: the number read on the paper, or "not printed" to print it.
type zCheck struct {
	ask     *modal
	number  *dialogEntry
	problem *widget.Label
}

// askZ opens the question, as printcheck.go does for a receipt.
func (c *closeScreen) askZ(problem ...string) {
	z := &zCheck{number: newDialogEntry()}
	z.number.SetPlaceHolder(tr("close.z.number.hint"))
	text := widget.NewLabel(tr("close.z.check.text"))
	text.Wrapping = fyne.TextWrapWord
	z.problem = widget.NewLabel(strings.Join(problem, " "))
	z.problem.Importance = widget.DangerImportance
	showIf(z.problem, len(problem) > 0)
	printed := bigButton(tr("close.z.printed"), widget.SuccessImportance, func() { c.answerZ(z, true) })
	notPrinted := bigButton(tr("close.z.not.printed"), widget.WarningImportance, func() { c.answerZ(z, false) })
	closeLater := func() {
		z.ask.close()
		c.zCheck = nil
	}
	later := bigButton(tr("print.check.later"), widget.MediumImportance, closeLater)
	content := container.NewVBox(text, widget.NewForm(widget.NewFormItem(tr("close.z.number"), z.number)), z.problem,
		tall(container.NewGridWithColumns(3, withKey(later, tr("keys.esc")), notPrinted, withKey(printed, tr("keys.enter"))), minTouch))
	// Enter answers Stampato, which needs the number read on the paper: without one it only
	// asks for it. Esc is Più tardi, which changes nothing.
	z.ask = c.t.newModal(tr("close.z.check.title"), content, modalKeys{enter: func() { c.answerZ(z, true) }, escape: closeLater})
	z.ask.dlg.Resize(fyne.NewSize(WindowSize.Width*0.8, 0))
	c.zCheck = z
	z.ask.show()
	c.t.win.Canvas().Focus(z.number)
}

// answerZ settles the lost Z with the manager's word and resumes the close.
func (c *closeScreen) answerZ(z *zCheck, printed bool) {
	if !printed {
		z.ask.close()
		c.zCheck = nil
		c.runWith(dayclose.Options{ZNotOnPaper: true})
		return
	}
	n, err := strconv.Atoi(strings.TrimSpace(z.number.Text))
	if err != nil || n <= 0 {
		z.problem.SetText(tr("close.z.number.bad"))
		z.problem.Show()
		return
	}
	z.ask.close()
	c.zCheck = nil
	c.runWith(dayclose.Options{ZOnPaper: n})
}
