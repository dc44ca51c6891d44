package ui

import (
	"context"
	"strings"

	"till/app/config"
)

// startHeader fills the sale screen's header: the names the configuration gives the sales
// point and the till (read in the background), and, on a real display, the clock.
func (t *Till) startHeader() {
	t.loadTitle()
	if t.deps.Headless {
		return // tests and screenshots stay deterministic: the clock shows Now at start
	}
	t.clockEnd = startHeaderClock(t.ctx, t.deps.Now, func(hhmm string) {
		t.bridge.post(func() { t.sale.setClock(hhmm) })
	})
}

// loadTitle reads the configuration off the UI goroutine and shows its names in the header.
func (t *Till) loadTitle() {
	if t.deps.Devices == nil {
		return
	}
	t.bridge.run(func() func() {
		doc, err := t.deps.Devices.Config(context.Background())
		if err != nil {
			return nil // the header keeps its title; the payment screen reports the error
		}
		return func() { t.sale.setTitle(tillTitle(doc, t.deps.Title)) }
	})
}

// tillTitle names the till as its people know it: "Sales point · Till" from the configuration,
// else fallback (the demo's title).
func tillTitle(doc *config.Document, fallback string) string {
	if doc == nil {
		return fallback
	}
	var names []string
	for _, n := range []string{doc.SalesPoint.Name, doc.Till.Name} {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return fallback
	}
	return strings.Join(names, " · ")
}

func (s *saleScreen) setTitle(text string) {
	if s.title.Text != text {
		s.title.SetText(text)
		s.header.Refresh()
	}
}

func (s *saleScreen) setClock(hhmm string) {
	if s.clock.Text != hhmm {
		s.clock.SetText(hhmm)
	}
}
