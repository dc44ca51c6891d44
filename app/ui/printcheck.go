package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"till/app/checkout"
	"till/money"
)

// printCheck asks a person about a receipt the printer did not confirm: it may be on the
// paper. Only their answer moves the sale on: "Stampato" records the number read on the paper
// (nothing is printed), "Non stampato" prints it now. Until then nothing is reprinted.
type printCheck struct {
	saleID  string
	total   money.Cents
	problem *widget.Label // why the last answer was refused, if it was
	ask     *modal        // the question
	number  *dialogEntry  // "ZZZZ-NNNN" as read on the paper
	person  *dialogEntry  // who confirms
}

// askPrinted opens the question for a sale whose receipt is uncertain; problem, if not empty,
// says why a previous answer was refused.
func (t *Till) askPrinted(saleID string, total money.Cents, problem ...string) {
	c := &printCheck{saleID: saleID, total: total, number: newDialogEntry(), person: newDialogEntry()}
	c.number.SetPlaceHolder(tr("print.check.number.hint"))
	text := widget.NewLabel(tr("print.check.text", map[string]any{"Amount": total.String()}))
	text.Wrapping = fyne.TextWrapWord
	c.problem = widget.NewLabel(strings.Join(problem, " "))
	c.problem.Wrapping = fyne.TextWrapWord
	c.problem.Importance = widget.DangerImportance
	showIf(c.problem, len(problem) > 0)
	printed := bigButton(tr("print.check.printed"), widget.SuccessImportance, func() { t.answerPrinted(c) })
	notPrinted := bigButton(tr("print.check.not.printed"), widget.WarningImportance, func() { t.answerNotPrinted(c) })
	later := bigButton(tr("print.check.later"), widget.MediumImportance, func() { t.answerLater(c) })
	content := container.NewVBox(text, c.problem, tall(container.NewGridWithColumns(3,
		withKey(later, tr("keys.esc")), notPrinted, withKey(printed, tr("keys.enter"))), minTouch))
	// Enter is Stampato, which only asks the number read on the paper; Esc is Più tardi. Neither
	// records anything.
	c.ask = t.newModal(tr("print.check.title"), content, modalKeys{enter: func() { t.answerPrinted(c) },
		escape: func() { t.answerLater(c) }})
	c.ask.dlg.Resize(fyne.NewSize(WindowSize.Width*0.8, 0))
	t.check = c
	c.ask.show()
}

// answerLater closes the question: the sale stays uncertain, in the journal, where it can be
// answered once the printer has been checked.
func (t *Till) answerLater(c *printCheck) {
	c.ask.close()
	if t.check == c {
		t.check = nil
	}
	if t.register.Sale().ID == c.saleID && t.current == t.payment {
		t.payment.setMessage(tr("print.check.later.hint"), true)
	}
}

// answerPrinted asks the number on the paper and who read it.
func (t *Till) answerPrinted(c *printCheck) {
	c.ask.close()
	items := []*widget.FormItem{widget.NewFormItem(tr("print.check.number"), c.number),
		widget.NewFormItem(tr("print.check.person"), c.person)}
	t.openForm(form{title: tr("print.check.printed.title", map[string]any{"Amount": c.total.String()}), items: items,
		onBack: c.ask.show,
		onConfirm: func() {
			number, person := strings.TrimSpace(c.number.Text), strings.TrimSpace(c.person.Text)
			t.confirmPrint(c, person, func(ctx context.Context) (checkout.Completed, error) {
				return t.deps.Checkout.ConfirmPrinted(ctx, c.saleID, number, person)
			})
		}})
}

// answerNotPrinted asks who checked the paper, then prints the receipt.
func (t *Till) answerNotPrinted(c *printCheck) {
	c.ask.close()
	items := []*widget.FormItem{widget.NewFormItem(tr("print.check.person"), c.person)}
	t.openForm(form{title: tr("print.check.not.printed.title", map[string]any{"Amount": c.total.String()}), items: items,
		confirm: "print.check.print.now", onBack: c.ask.show,
		onConfirm: func() {
			person := strings.TrimSpace(c.person.Text)
			t.confirmPrint(c, person, func(ctx context.Context) (checkout.Completed, error) {
				return t.deps.Checkout.ConfirmNotPrinted(ctx, c.saleID, person)
			})
		}})
}

// confirmPrint records the person's answer in the background. A refused answer asks again,
// saying why; a receipt whose answer is lost once more asks again too.
func (t *Till) confirmPrint(c *printCheck, person string, answer func(context.Context) (checkout.Completed, error)) {
	if person == "" {
		t.askPrinted(c.saleID, c.total, tr("print.check.err.person"))
		return
	}
	t.bridge.run(func() func() {
		done, err := answer(context.Background())
		return func() {
			if t.check == c {
				t.check = nil
			}
			if err != nil {
				if errors.Is(err, checkout.ErrNotUncertain) {
					t.printUncertainGone(c.saleID, errorText(err))
					return
				}
				t.askPrinted(c.saleID, c.total, errorText(err))
				return
			}
			if t.register.Sale().ID == c.saleID {
				t.finishSale(done) // the sale on screen: the next one starts
				return
			}
			t.printUncertainGone(c.saleID, doneText(done))
		}
	})
}

// printUncertainGone tells that a sale not on screen no longer waits for an answer.
func (t *Till) printUncertainGone(saleID, text string) {
	if t.register.Sale().ID == saleID {
		t.printUnknown = false
		t.payment.setMessage(text, false)
		t.payment.reload()
		return
	}
	if t.current == t.journal {
		t.journal.load(text)
		return
	}
	t.sale.setMessage(text, false)
}
