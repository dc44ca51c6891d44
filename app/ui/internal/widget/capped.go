package widget

import "fyne.io/fyne/v2"

// Capped holds a screen whose minimum size is never reported above max, so the window never
// grows past the till's screen whatever a screen asks for (a font fallback a few pixels taller,
// a long text): the screen is laid out in the window's size instead. Each screen's own minimum
// is still checked by the tests against the window's size.
func Capped(content fyne.CanvasObject, max fyne.Size) *fyne.Container {
	return &fyne.Container{Layout: capLayout{max}, Objects: []fyne.CanvasObject{content}}
}

type capLayout struct{ max fyne.Size }

func (l capLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var min fyne.Size
	for _, o := range objects {
		min = min.Max(o.MinSize())
	}
	return fyne.NewSize(minf(min.Width, l.max.Width), minf(min.Height, l.max.Height))
}

func (capLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func minf(a, b float32) float32 {
	if a < b {
		return a
	}
	return b
}
