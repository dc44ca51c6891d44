package widget

import "fyne.io/fyne/v2"

// Capped holds a screen whose minimum size is never reported above room(), the window's size
// as it is now, so the window never grows past the till's screen whatever a screen asks for (a
// font fallback a few pixels taller, a long text): the screen is laid out in the window's size
// instead. The room is asked at each layout, so a window resized (full screen, a smaller
// monitor) caps at its new size. Each screen's own minimum is still checked by the tests
// against the screen sizes the till supports.
func Capped(content fyne.CanvasObject, room func() fyne.Size) *fyne.Container {
	return &fyne.Container{Layout: capLayout{room}, Objects: []fyne.CanvasObject{content}}
}

type capLayout struct{ room func() fyne.Size }

func (l capLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var min fyne.Size
	for _, o := range objects {
		min = min.Max(o.MinSize())
	}
	max := l.room()
	return fyne.NewSize(minf(min.Width, max.Width), minf(min.Height, max.Height))
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
