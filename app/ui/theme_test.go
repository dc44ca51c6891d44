package ui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// luminance is WCAG 2's relative luminance of an opaque colour.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is WCAG 2's contrast ratio of two opaque colours, from 1 to 21.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// over lays c, with its alpha, on the opaque colour under, as the painter does.
func over(under, c color.Color) color.Color {
	ur, ug, ub, _ := under.RGBA()
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	a := float64(n.A) / 0xff
	mix := func(u uint32, o uint8) uint8 { return uint8(math.Round(float64(o)*a + float64(u>>8)*(1-a))) }
	return color.NRGBA{R: mix(ur, n.R), G: mix(ug, n.G), B: mix(ub, n.B), A: 0xff}
}

// The text of every button, label and field reads at 4.5:1 or more on what it is drawn on
// (white on the green of PAGA was 1.48:1, on the orange of Storna 2.16:1).
func TestThemeTextContrast(t *testing.T) {
	th := Theme()
	c := func(n fyne.ThemeColorName) color.Color { return th.Color(n, theme.VariantDark) }
	bg := c(theme.ColorNameBackground)
	type pair struct {
		what   string
		fg, bg color.Color
	}
	pairs := []pair{
		{"label on the background", c(theme.ColorNameForeground), bg},
		{"label in a dialog", c(theme.ColorNameForeground), over(bg, c(theme.ColorNameOverlayBackground))},
		{"disabled label", c(theme.ColorNameDisabled), bg},
		{"text in a field", c(theme.ColorNameForeground), over(bg, c(theme.ColorNameInputBackground))},
		{"placeholder in a field", c(theme.ColorNamePlaceHolder), over(bg, c(theme.ColorNameInputBackground))},
		{"error text", c(theme.ColorNameError), bg},
		{"primary text (links)", c(theme.ColorNamePrimary), bg},
		{"selected row", c(theme.ColorNameForeground), over(bg, c(theme.ColorNameSelection))},
		{"disabled button (any importance)", c(theme.ColorNameDisabled), over(bg, c(theme.ColorNameDisabledButton))},
	}
	// The buttons of every importance (and the tiles, which take a button's colours), plain,
	// under the pointer and pressed.
	buttons := []struct {
		what   string
		fg, bg fyne.ThemeColorName
	}{
		{"High", theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary},
		{"Success (PAGA, CONFERMA, the chosen method or tile)", theme.ColorNameForegroundOnSuccess, theme.ColorNameSuccess},
		{"Warning (Storna)", theme.ColorNameForegroundOnWarning, theme.ColorNameWarning},
		{"Danger", theme.ColorNameForegroundOnError, theme.ColorNameError},
		{"Medium", theme.ColorNameForeground, theme.ColorNameButton},
		{"Low", theme.ColorNameForeground, theme.ColorNameBackground},
	}
	for _, b := range buttons {
		fill := over(bg, c(b.bg))
		pairs = append(pairs,
			pair{b.what + " button", c(b.fg), fill},
			pair{b.what + " button under the pointer", c(b.fg), over(fill, c(theme.ColorNameHover))},
			pair{b.what + " button pressed", c(b.fg), over(fill, c(theme.ColorNamePressed))},
			pair{b.what + " button focused", c(b.fg), over(fill, c(theme.ColorNameFocus))})
	}
	for _, p := range pairs {
		if r := contrast(p.fg, p.bg); r < 4.5 {
			t.Errorf("%s: contrast %.2f:1, want at least 4.5:1", p.what, r)
		}
	}
}

// The focus shows: a focused field's edge (the primary colour, thicker than a hairline) and a
// focused button, check or select stand out at 3:1 from what they would be without it.
func TestThemeFocusIsVisible(t *testing.T) {
	th := Theme()
	c := func(n fyne.ThemeColorName) color.Color { return th.Color(n, theme.VariantLight) }
	bg := c(theme.ColorNameBackground)
	field := over(bg, c(theme.ColorNameInputBackground))
	if r := contrast(c(theme.ColorNamePrimary), field); r < 3 {
		t.Errorf("focused field's edge on the field: %.2f:1, want 3:1", r)
	}
	if r := contrast(c(theme.ColorNamePrimary), bg); r < 3 {
		t.Errorf("focused field's edge on the background: %.2f:1, want 3:1", r)
	}
	if w := th.Size(theme.SizeNameInputBorder); w < 2 {
		t.Errorf("a field's edge is %v px, want at least 2", w)
	}
	if r := contrast(c(theme.ColorNameInputBorder), bg); r < 3 {
		t.Errorf("a field's edge on the background: %.2f:1, want 3:1", r)
	}
	for _, under := range []struct {
		what string
		c    color.Color
	}{
		{"the background (check, radio)", bg},
		{"a Medium button", over(bg, c(theme.ColorNameButton))},
		{"a field (select)", field},
	} {
		if r := contrast(over(under.c, c(theme.ColorNameFocus)), under.c); r < 3 {
			t.Errorf("focus on %s: %.2f:1, want 3:1", under.what, r)
		}
	}
}
