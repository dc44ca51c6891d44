package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"till/money"
)

// changeTextSize is the change's size: read at arm's length while the cashier counts coins.
const changeTextSize = 64

// newChangeBox builds the panel that shows the change large over the sale's lines. It hides
// the (empty) lines under it, and a tap on it dismisses it like any key.
func (s *saleScreen) newChangeBox() fyne.CanvasObject {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	heading := canvas.NewText(tr("change.big.title"), theme.Color(theme.ColorNameForeground))
	heading.TextSize = changeTextSize / 2
	heading.TextStyle = fyne.TextStyle{Bold: true}
	heading.Alignment = fyne.TextAlignCenter
	s.changeText = canvas.NewText("", theme.Color(theme.ColorNameSuccess))
	s.changeText.TextSize = changeTextSize
	s.changeText.TextStyle = fyne.TextStyle{Bold: true}
	s.changeText.Alignment = fyne.TextAlignCenter
	s.changeBox = container.NewStack(bg, container.NewCenter(container.NewVBox(heading, s.changeText)),
		newTapArea(s.dismissChange))
	s.changeBox.Hide()
	return s.changeBox
}

// showChange shows the change of the sale just documented, large, until the next key or tap.
func (s *saleScreen) showChange(change money.Cents) {
	if change <= 0 {
		s.dismissChange()
		return
	}
	s.changeText.Text = change.String()
	s.changeText.Refresh()
	s.changeBox.Show()
	s.changeBox.Refresh()
}

// dismissChange hides the change: the cashier has moved on to the next sale.
func (s *saleScreen) dismissChange() {
	if s.changeBox != nil && s.changeBox.Visible() {
		s.changeBox.Hide()
	}
}

// changeShown is the change on screen, "" when none is.
func (s *saleScreen) changeShown() string {
	if s.changeBox == nil || !s.changeBox.Visible() {
		return ""
	}
	return s.changeText.Text
}

// tapArea is an invisible area that calls onTap when tapped.
type tapArea struct {
	widget.BaseWidget
	onTap func()
}

func newTapArea(onTap func()) *tapArea {
	a := &tapArea{onTap: onTap}
	a.ExtendBaseWidget(a)
	return a
}

func (a *tapArea) Tapped(*fyne.PointEvent) { a.onTap() }

func (a *tapArea) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}
