package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"till/app/checkout"
)

// askReturnPrinted asks a manager about a return document the printer did not confirm, as
// printcheck.go does for a receipt: "Stampato" records the number read on the paper and the
// money goes back; "Non stampato" refuses the return (its lines are free again); nothing is
// printed either way.
func (t *Till) askReturnPrinted(ret *checkout.Return, op checkout.Operator, problem ...string) {
	t.askReturnPrintedTyped(ret, op, "", problem...)
}

// askReturnPrintedTyped asks again with the number the manager typed before a refusal, so
// they correct it rather than type it all again.
func (t *Till) askReturnPrintedTyped(ret *checkout.Return, op checkout.Operator, typed string, problem ...string) {
	number := newDialogEntry()
	number.SetText(typed)
	number.SetPlaceHolder(tr("print.check.number.hint"))
	text := widget.NewLabel(tr("refund.check.text", map[string]any{"Amount": ret.Amount.String()}))
	text.Wrapping = fyne.TextWrapWord
	why := widget.NewLabel(strings.Join(problem, " "))
	why.Importance = widget.DangerImportance
	showIf(why, len(problem) > 0)
	var ask *modal
	settle := func(n string) {
		ask.close()
		r := t.journal.refund
		r.message.SetText(tr("refund.running"))
		rs := t.deps.Returns
		t.bridge.run(func() func() {
			got, err := rs.SettleUncertain(context.Background(), ret.ID, n, op)
			return func() {
				if got == nil {
					t.askReturnPrintedTyped(ret, op, n, returnErrorText(err))
					return
				}
				r.outcome(got, err, op)
			}
		})
	}
	printed := bigButton(tr("print.check.printed"), widget.SuccessImportance, func() { settle(strings.TrimSpace(number.Text)) })
	notPrinted := bigButton(tr("print.check.not.printed"), widget.WarningImportance, func() { settle("") })
	later := bigButton(tr("print.check.later"), widget.MediumImportance, func() { ask.close() })
	content := container.NewVBox(text, widget.NewForm(widget.NewFormItem(tr("print.check.number"), number)), why,
		tall(container.NewGridWithColumns(3, withKey(later, tr("keys.esc")), notPrinted, withKey(printed, tr("keys.enter"))), minTouch))
	// Enter is Stampato with the number typed; with none typed it does nothing, since an empty
	// number would settle the return as not printed. Esc is Più tardi, which changes nothing.
	ask = t.newModal(tr("refund.check.title"), content, modalKeys{enter: func() {
		if n := strings.TrimSpace(number.Text); n != "" {
			settle(n)
		}
	}})
	ask.dlg.Resize(fyne.NewSize(WindowSize.Width*0.8, 0))
	ask.show()
	t.win.Canvas().Focus(number)
}
