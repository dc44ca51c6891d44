package ui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"till/app/checkout"
	"till/app/dayclose"
	tw "till/app/ui/internal/widget"
	"till/fiscal"
	"till/money"
	"till/pos"
	"till/storage"
)

const closePerPage = 9

// closeLine is one line of the close screen's list: a text and, maybe, an amount.
type closeLine struct {
	text, amount string
	strong       bool
}

// closeScreen is the day's close for a manager: the open payments first (they block the close
// until settled or acknowledged), the cash counted on a keypad, then the close run by
// app/dayclose off the UI goroutine with its progress per terminal, then its report.
type closeScreen struct {
	t       *Till
	root    fyne.CanvasObject
	list    *tw.Pager
	lines   []closeLine
	cash    *widget.Label
	message *widget.Label
	start   *widget.Button
	anyway  *widget.Button // "Prosegui comunque": the manager acknowledges the open payments
	keys    fyne.CanvasObject

	operator checkout.Operator
	counted  money.Cents
	typed    bool // a cash amount was typed
	ack      bool // the open payments are acknowledged
	running  bool
	done     bool    // the close is finished: the report stays as it is
	zCheck   *zCheck // the open question about a lost Z answer, if any
}

func newCloseScreen(t *Till) *closeScreen {
	c := &closeScreen{t: t}
	c.list = newPager(closePerPage, c.renderLine, nil)
	c.cash = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	c.message = widget.NewLabel("")
	c.message.Wrapping = fyne.TextWrapWord
	title := widget.NewLabelWithStyle(tr("close.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = "subHeadingText"
	back := bigButton(tr("back"), widget.MediumImportance, c.leave)
	c.start = bigButton(tr("close.start"), widget.HighImportance, c.run)
	c.anyway = bigButton(tr("close.anyway"), widget.WarningImportance, c.acknowledge)
	c.keys = keypad(c.digit, bigButton("C", widget.MediumImportance, c.clearCash))
	right := container.NewBorder(container.NewVBox(widget.NewLabel(tr("close.cash.count")), c.cash), nil, nil, nil, c.keys)
	split := container.NewHSplit(c.list.Content(), right)
	split.Offset = 0.62
	buttons := tall(container.NewGridWithColumns(3, back, c.anyway, c.start), minTouch)
	c.root = container.NewBorder(title, container.NewVBox(c.message, buttons), nil, nil, split)
	return c
}

func (c *closeScreen) content() fyne.CanvasObject { return c.root }

func (c *closeScreen) renderLine(i int, r *tw.Row) {
	l := c.lines[i]
	r.Set(l.text, l.amount, l.strong)
}

func (c *closeScreen) setLines(lines []closeLine) {
	c.lines = lines
	c.list.SetCount(len(lines), 0)
}

// openClose asks for a manager, then shows the close with the open payments and any close
// under way.
func (t *Till) openClose() {
	if t.deps.DB == nil {
		return
	}
	t.asManager("close.title", func(op checkout.Operator) {
		c := t.journal.closing
		c.operator, c.counted, c.typed, c.ack, c.running, c.done = op, 0, false, false, false, false
		c.showCash()
		c.prepare()
		t.show(c)
	})
}

// prepare reads the open payments and a close left half-way, off the UI goroutine.
func (c *closeScreen) prepare() {
	c.message.SetText(tr("loading"))
	c.start.Disable()
	c.anyway.Hide()
	db := c.t.deps.DB
	c.t.bridge.run(func() func() {
		ctx := context.Background()
		open, err := db.OpenPayments(ctx)
		if err != nil {
			return func() { c.message.SetText(errorText(err)) }
		}
		under, err := db.UnfinishedClose(ctx)
		if err != nil {
			return func() { c.message.SetText(errorText(err)) }
		}
		return func() {
			c.start.Enable()
			c.setLines(openLines(open))
			switch {
			case under != nil:
				c.start.SetText(tr("close.resume"))
				c.message.SetText(tr("close.resume.hint"))
			case len(open) > 0:
				c.start.SetText(tr("close.start"))
				c.blocked(open)
			default:
				c.start.SetText(tr("close.start"))
				c.message.SetText(tr("close.ready"))
			}
		}
	})
}

// blocked says the open payments stop the close until settled or acknowledged.
func (c *closeScreen) blocked(open []storage.OpenPayment) {
	c.setLines(openLines(open))
	c.start.Disable()
	c.anyway.Show()
	c.message.SetText(trn("close.open.blocks", len(open), nil))
}

// acknowledge lets the close start with the open payments, on a manager's word: they are kept
// in the close's record.
func (c *closeScreen) acknowledge() {
	c.t.asManager("close.anyway", func(checkout.Operator) {
		c.ack = true
		c.anyway.Hide()
		c.start.Enable()
		c.message.SetText(tr("close.open.acknowledged"))
	})
}

func openLines(open []storage.OpenPayment) []closeLine {
	if len(open) == 0 {
		return []closeLine{{text: tr("close.open.none")}}
	}
	lines := []closeLine{{text: tr("close.open.title"), strong: true}}
	for _, p := range open {
		text := fmt.Sprintf("%s  %s  %s", p.CreatedAt.Local().Format("02/01 15:04"), methodName(fiscal.PaymentMethod(p.Method)), tr("close.open.state."+p.State))
		if p.TerminalID != "" {
			text += "  " + tr("close.terminal.id", map[string]any{"ID": p.TerminalID})
		}
		lines = append(lines, closeLine{text: text, amount: p.Amount.Plain()})
	}
	return lines
}

func (c *closeScreen) digit(d string) {
	if c.running || c.done {
		return
	}
	for _, r := range d {
		n := c.counted*10 + money.Cents(r-'0')
		if n > money.MaxAmount {
			return
		}
		c.counted = n
	}
	c.typed = true
	c.showCash()
}

func (c *closeScreen) clearCash() {
	if c.running || c.done {
		return
	}
	c.counted, c.typed = 0, false
	c.showCash()
}

func (c *closeScreen) showCash() {
	if !c.typed {
		c.cash.SetText(tr("close.cash.not.counted"))
		return
	}
	c.cash.SetText(c.counted.String())
}

// run starts the close, or resumes the one under way, off the UI goroutine.
func (c *closeScreen) run() { c.runWith(dayclose.Options{}) }

func (c *closeScreen) runWith(o dayclose.Options) {
	if c.running {
		return
	}
	c.running = true
	c.start.Disable()
	c.anyway.Hide()
	c.message.SetText(tr("close.running"))
	o.Operator = operatorName(c.operator)
	o.AcknowledgeOpen = c.ack
	if c.typed {
		cash := c.counted
		o.Cash = &cash
	}
	var progress []closeLine
	say := func(line string) {
		c.t.bridge.post(func() {
			progress = append(progress, closeLine{text: line})
			c.setLines(progress)
		})
	}
	c.t.bridge.run(func() func() {
		ctx := context.Background()
		devices, err := c.devices(ctx, say)
		if err != nil {
			return func() { c.finished(nil, err) }
		}
		closer := &dayclose.Closer{DB: c.t.deps.DB, Devices: devices, Printer: c.t.deps.Checkout.Printer}
		rep, err := closer.Run(ctx, o)
		return func() { c.finished(rep, err) }
	})
}

// devices are the terminals enabled on this till, each telling the screen what it is doing.
func (c *closeScreen) devices(ctx context.Context, say func(string)) ([]dayclose.Device, error) {
	if c.t.deps.Devices == nil {
		return nil, nil
	}
	doc, err := c.t.deps.Devices.Config(ctx)
	if err != nil || doc == nil {
		return nil, err
	}
	var out []dayclose.Device
	for _, dev := range doc.TerminalsFor(doc.Till.ID) {
		d, err := c.t.deps.Devices.DeviceFor(ctx, doc, dev)
		if err != nil {
			return nil, err
		}
		out = append(out, dayclose.Device{ID: d.ID, Name: d.Name, TerminalID: d.TerminalID, Shared: !d.Exclusive,
			Terminal: progressTerminal{t: d.Terminal, name: d.Name, say: say}})
	}
	return out, nil
}

// progressTerminal tells the screen each step before it is sent to the terminal.
type progressTerminal struct {
	t    dayclose.Terminal
	name string
	say  func(string)
}

func (p progressTerminal) Totals(ctx context.Context) (pos.Totals, error) {
	p.say(tr("close.progress.totals", map[string]any{"Device": p.name}))
	return p.t.Totals(ctx)
}

func (p progressTerminal) CloseSession(ctx context.Context) (pos.Closure, error) {
	p.say(tr("close.progress.closing", map[string]any{"Device": p.name}))
	return p.t.CloseSession(ctx)
}

// finished shows what the close came to; a lost Z answer asks what the paper says.
func (c *closeScreen) finished(rep *dayclose.Report, err error) {
	c.running = false
	var open *dayclose.OpenError
	if errors.As(err, &open) {
		c.start.Enable()
		c.blocked(open.Payments)
		return
	}
	if rep != nil {
		c.setLines(reportLines(rep))
	}
	switch {
	case err == nil && rep.Matches():
		c.message.SetText(tr("close.done.match", map[string]any{"Z": rep.Close.ZNumber}))
	case err == nil:
		c.message.SetText(tr("close.done.differ", map[string]any{"Z": rep.Close.ZNumber}))
	case errors.Is(err, dayclose.ErrZUnknown):
		c.message.SetText(tr("close.z.unknown"))
		c.askZ()
	default:
		c.message.SetText(closeErrorText(err))
	}
	if err != nil {
		c.start.SetText(tr("close.resume"))
		c.start.Enable()
	} else {
		c.done = true
		c.start.Disable()
	}
}

func closeErrorText(err error) string {
	var terms *dayclose.TerminalsError
	switch {
	case errors.As(err, &terms):
		// The ids only: the problems are worded in English for logs and the command line.
		return tr("close.terminals.open", map[string]any{"Problems": strings.Join(terms.Terminals, ", ")})
	case errors.Is(err, dayclose.ErrZRefused):
		return tr("close.z.refused")
	}
	return errorText(err)
}

func (c *closeScreen) leave() {
	if c.running {
		return
	}
	c.t.openJournal()
}

func (c *closeScreen) typedRune(r rune) {
	if r >= '0' && r <= '9' {
		c.digit(string(r))
	}
}

func (c *closeScreen) typedKey(k fyne.KeyName) {
	switch k {
	case fyne.KeyEscape:
		c.leave()
	case fyne.KeyBackspace:
		if !c.running && !c.done {
			c.counted /= 10
			c.showCash()
		}
	}
}

// operatorName is how the close record names who ran it, as `till close` does.
func operatorName(op checkout.Operator) string {
	if op.Name != "" {
		return strconv.Itoa(op.Number) + " " + op.Name
	}
	return strconv.Itoa(op.Number)
}
