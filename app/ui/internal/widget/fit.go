package widget

import (
	"sync"

	"fyne.io/fyne/v2"
)

// ellipsis ends a text cut short.
const ellipsis = "…"

// advances caches the width of each character as drawn alone, per size and style. A text's
// width is taken as the sum of its characters': kerning moves a glyph by a fraction of a pixel,
// which the margin in fitText absorbs, and this way cutting a text shapes none of it.
var advances = struct {
	sync.Mutex
	w map[advanceKey]float32
}{w: map[advanceKey]float32{}}

type advanceKey struct {
	r     rune
	size  float32
	style fyne.TextStyle
}

func advance(r rune, size float32, style fyne.TextStyle) float32 {
	advances.Lock()
	defer advances.Unlock()
	k := advanceKey{r, size, style}
	w, ok := advances.w[k]
	if !ok {
		w = fyne.MeasureText(string(r), size, style).Width
		advances.w[k] = w
	}
	return w
}

// fitText is text, or as much of it as fits in width followed by an ellipsis.
func fitText(text string, width, size float32, style fyne.TextStyle) string {
	margin := size / 4 // room for kerning and rounding
	var total float32
	for _, r := range text {
		total += advance(r, size, style)
	}
	if total+margin <= width {
		return text
	}
	avail := width - margin - advance('…', size, style)
	var used float32
	for i, r := range text {
		used += advance(r, size, style)
		if used > avail {
			return text[:i] + ellipsis
		}
	}
	return text
}

// FitText cuts text with an ellipsis so that it is at most width wide at size and style: for a
// button, whose text cannot wrap.
func FitText(text string, width, size float32, style fyne.TextStyle) string {
	return fitText(text, width, size, style)
}
