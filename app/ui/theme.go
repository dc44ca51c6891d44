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

// tillTheme is the default fyne theme, light, with larger text and padding for touch.
type tillTheme struct{ fyne.Theme }

// Theme returns the till's theme.
func Theme() fyne.Theme { return tillTheme{theme.DefaultTheme()} }

func (t tillTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
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
	}
	return t.Theme.Size(n)
}
