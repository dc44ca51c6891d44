package widget

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestSlotsTurnPagesOnTheLastTile(t *testing.T) {
	a := test.NewApp()
	defer a.Quit()
	var tapped []int
	s := NewSlots(4, 2, fyne.NewSize(0, 48), widget.HighImportance,
		func(i int) string { return fmt.Sprint("c", i) }, func(i int) bool { return i == 4 },
		func(i int) { tapped = append(tapped, i) }, func(page, pages int) string { return fmt.Sprintf("more %d/%d", page, pages) })
	texts := func() (out []string) {
		for _, t := range s.Tiles {
			out = append(out, t.Text)
		}
		return out
	}
	s.SetCount(4) // fits: no page turner
	if got := fmt.Sprint(texts()); got != "[c0 c1 c2 c3]" {
		t.Fatalf("4 choices: %s", got)
	}
	s.SetCount(7)
	if got := fmt.Sprint(texts()); got != "[c0 c1 c2 more 1/3]" {
		t.Fatalf("7 choices, page 1: %s", got)
	}
	test.Tap(s.Tiles[3])
	if got := fmt.Sprint(texts()); got != "[c3 c4 c5 more 2/3]" || s.Tiles[1].Importance != widget.SuccessImportance {
		t.Fatalf("page 2: %s, chosen shown as %v", got, s.Tiles[1].Importance)
	}
	test.Tap(s.Tiles[1])
	test.Tap(s.Tiles[3])
	if got := fmt.Sprint(texts()); got != "[c6   more 3/3]" {
		t.Fatalf("page 3: %s", got)
	}
	test.Tap(s.Tiles[1]) // empty: nothing
	test.Tap(s.Tiles[3])
	if got := fmt.Sprint(texts(), tapped); got != "[c0 c1 c2 more 1/3] [4]" {
		t.Fatalf("back to page 1, taps: %s", got)
	}
}

func TestFitTextCutsWhatDoesNotFit(t *testing.T) {
	a := test.NewApp()
	defer a.Quit()
	style := fyne.TextStyle{}
	long := "Parmigiano Reggiano stagionato 30 mesi"
	full := fyne.MeasureText(long, 18, style).Width
	if got := fitText(long, full+20, 18, style); got != long {
		t.Fatalf("fits in %v: %q", full+20, got)
	}
	got := fitText(long, full/2, 18, style)
	if got == long || len(got) < 5 || got[len(got)-len(ellipsis):] != ellipsis {
		t.Fatalf("half the width: %q", got)
	}
	if w := fyne.MeasureText(got, 18, style).Width; w > full/2 {
		t.Fatalf("%q is %v wide, more than %v", got, w, full/2)
	}
}
