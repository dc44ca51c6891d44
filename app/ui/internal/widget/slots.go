package widget

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Slots shows a list of choices (categories, departments) on a fixed number of tiles. When the
// list does not fit, the last tile turns the page: however long the list, the screen keeps its
// size and every choice stays one or two taps away.
type Slots struct {
	Tiles []*Tile
	box   *fyne.Container
	page  int
	count int

	label    func(i int) string           // the text of choice i
	chosen   func(i int) bool             // whether choice i is highlighted
	tapped   func(i int)                  // choice i was tapped
	moreText func(page, pages int) string // the page-turning tile's text
	imp      widget.Importance
}

// NewSlots makes n tiles in cols columns, each at least min; imp colours the choices (the
// chosen one is shown as a success).
func NewSlots(n, cols int, min fyne.Size, imp widget.Importance, label func(int) string, chosen func(int) bool,
	tapped func(int), moreText func(page, pages int) string) *Slots {
	s := &Slots{label: label, chosen: chosen, tapped: tapped, moreText: moreText, imp: imp}
	s.box = container.NewGridWithColumns(cols)
	for i := 0; i < n; i++ {
		t := NewTile("", imp, func() { s.tap(i) })
		t.Min = min
		s.Tiles = append(s.Tiles, t)
		s.box.Add(t)
	}
	return s
}

// Content is what to put on the screen.
func (s *Slots) Content() fyne.CanvasObject { return s.box }

// SetCount says how many choices there are and shows the first page.
func (s *Slots) SetCount(n int) {
	s.count, s.page = n, 0
	s.Refresh()
}

// perPage is how many choices a page shows: all the tiles, or all but the page turner.
func (s *Slots) perPage() int {
	if s.count <= len(s.Tiles) {
		return len(s.Tiles)
	}
	return len(s.Tiles) - 1
}

func (s *Slots) pages() int { return max(1, (s.count+s.perPage()-1)/s.perPage()) }

// Refresh redraws the tiles of the page shown (after a choice changed).
func (s *Slots) Refresh() {
	per := s.perPage()
	for i, t := range s.Tiles {
		idx := s.page*per + i
		switch {
		case i == per:
			t.Set(s.moreText(s.page+1, s.pages()), widget.MediumImportance)
		case idx < s.count:
			imp := s.imp
			if s.chosen != nil && s.chosen(idx) {
				imp = widget.SuccessImportance
			}
			t.Set(s.label(idx), imp)
		default:
			t.Set("", s.imp)
		}
	}
}

func (s *Slots) tap(i int) {
	per := s.perPage()
	if i == per {
		s.page = (s.page + 1) % s.pages()
		s.Refresh()
		return
	}
	if idx := s.page*per + i; idx < s.count {
		s.tapped(idx)
	}
}
