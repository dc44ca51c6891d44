package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Sizes for a touch screen at arm's length: every button at least 48 px high.
const minTouch float32 = 56

// arrowWidth is the width of the ▲ ▼ buttons that turn a list's pages: a thumb's, not an icon's.
const arrowWidth = 1.5 * minTouch

// tillTheme is the default fyne theme, light, with larger text and padding for touch, and
// colours dark enough that every text reads at 4.5:1 or more on its background (WCAG AA): fyne's
// own green and orange leave white text at 1.5:1 and 2.2:1.
type tillTheme struct{ fyne.Theme }

// Theme returns the till's theme.
func Theme() fyne.Theme { return tillTheme{theme.DefaultTheme()} }

// The till's colours; theme_test.go checks their contrast.
var (
	white         = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	colorText     = color.NRGBA{R: 0x21, G: 0x21, B: 0x21, A: 0xff}
	colorPrimary  = color.NRGBA{R: 0x15, G: 0x65, B: 0xc0, A: 0xff} // blue 800
	colorSuccess  = color.NRGBA{R: 0x2e, G: 0x7d, B: 0x32, A: 0xff} // green 800
	colorWarning  = color.NRGBA{R: 0xb4, G: 0x53, B: 0x09, A: 0xff} // dark orange
	colorError    = color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff} // red 800
	colorDisabled = color.NRGBA{R: 0x61, G: 0x61, B: 0x61, A: 0xff}
	colorDisabBtn = color.NRGBA{R: 0xe0, G: 0xe0, B: 0xe0, A: 0xff}
	colorHint     = color.NRGBA{R: 0x66, G: 0x66, B: 0x66, A: 0xff} // placeholders
	colorBorder   = color.NRGBA{R: 0x8a, G: 0x8a, B: 0x8a, A: 0xff} // a field's edge, 3:1 on white
	colorSelected = color.NRGBA{R: 0xbb, G: 0xde, B: 0xfb, A: 0xff} // a selected row
	// colorFocus tints the focused button, select or check: a half-transparent violet that
	// shifts a light button by 3:1 and leaves the text of every button readable.
	colorFocus = color.NRGBA{R: 0x44, G: 0x00, B: 0xaa, A: 0x80}
)

func (t tillTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNameForeground:
		return colorText
	case theme.ColorNamePrimary, theme.ColorNameHyperlink:
		return colorPrimary
	case theme.ColorNameSuccess:
		return colorSuccess
	case theme.ColorNameWarning:
		return colorWarning
	case theme.ColorNameError:
		return colorError
	case theme.ColorNameForegroundOnPrimary, theme.ColorNameForegroundOnSuccess,
		theme.ColorNameForegroundOnWarning, theme.ColorNameForegroundOnError:
		return white
	case theme.ColorNameDisabled:
		return colorDisabled
	case theme.ColorNameDisabledButton:
		return colorDisabBtn
	case theme.ColorNamePlaceHolder:
		return colorHint
	case theme.ColorNameInputBorder:
		return colorBorder
	case theme.ColorNameSelection:
		return colorSelected
	case theme.ColorNameFocus:
		return colorFocus
	}
	// A till stands in a bright shop: always the light variant.
	return t.Theme.Color(n, theme.VariantLight)
}

func (t tillTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 18
	case theme.SizeNameHeadingText:
		return 26
	case theme.SizeNameSubHeadingText:
		return 21
	case theme.SizeNamePadding:
		return 5
	case theme.SizeNameInnerPadding:
		return 10
	case theme.SizeNameInputBorder:
		// The focused field's edge, drawn in the primary colour: thick enough to see at a glance.
		return 3
	}
	return t.Theme.Size(n)
}
