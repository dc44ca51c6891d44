package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"till/app/boot"
	"till/app/configcli"
	"till/app/errtext"
	"till/app/tillsync"
	"till/app/ui"
	"till/internal/i18n"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// title is the demo till's name in its header (and in the screenshots), before any
// configuration names it.
func title() string { return "Cassa · demo" }

type guiOptions struct {
	db, config, printer string
	demo, courtesy      bool
	reprintByNumber     bool
	// window is the window's size (-window WxH); zero: full screen, the till's normal way.
	window fyne.Size
}

// parseSize reads a size written WxH, e.g. 1024x768, as -window and --size take it.
func parseSize(s string) (fyne.Size, error) {
	w, h, ok := strings.Cut(strings.ToLower(strings.TrimSpace(s)), "x")
	width, errW := strconv.Atoi(w)
	height, errH := strconv.Atoi(h)
	// Smaller than 320×240 no screen of the till could show anything.
	if !ok || errW != nil || errH != nil || width < 320 || height < 240 || width > 10000 || height > 10000 {
		return fyne.Size{}, errors.New(i18n.T("layout.size.invalid", map[string]any{"Value": s}))
	}
	return fyne.NewSize(float32(width), float32(height)), nil
}

// runGUI opens the database and shows the till window until it is closed.
func runGUI(o guiOptions, stderr io.Writer) int {
	ui.DefaultLanguageEnv()
	ctx := context.Background()
	t, err := boot.OpenWith(ctx, boot.Options{DBPath: o.db, PrinterURL: o.printer, CourtesyInvoice: o.courtesy,
		PrinterReprintByNumber: o.reprintByNumber})
	if err != nil {
		fmt.Fprintln(stderr, dbError(err))
		return 2
	}
	defer t.Close()
	var importErr error
	if o.config != "" {
		if _, importErr = configcli.Import(ctx, t.DB, o.config); importErr != nil {
			err := importErr
			// The last good configuration stays in force; say so and go on.
			fmt.Fprintln(stderr, i18n.T("cli.till.config.not.imported")+"\n"+errtext.Explain(err))
		}
	} else if o.demo {
		stop, err := t.StartDemoTerminals(ctx, 700*time.Millisecond)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
		defer stop()
	}
	a := fyneapp.NewWithID("it.cassa.till")
	if err := ui.LoadTranslations(); err != nil {
		fmt.Fprintln(stderr, err)
	}
	a.Settings().SetTheme(ui.Theme())
	w := a.NewWindow("Cassa")
	if o.window.IsZero() {
		// A till owns its screen: full screen, laid out for whatever size the screen is.
		w.SetFullScreen(true)
	} else {
		w.Resize(o.window)
	}
	// The header names the till from its configuration; until then "Cassa", or the demo's
	// title on a demo till. The database's path is for the log, never for the cashier.
	demo := o.demo && o.config == ""
	name := "Cassa"
	if demo {
		name = title()
	}
	d := deps(t, name)
	d.Demo = demo
	d.ConfigImportErr = importErr
	client := &tillsync.Client{DB: t.DB}
	var till *ui.Till
	syncer := tillsync.NewSyncer(client, tillsync.Options{OnState: func(s tillsync.State) {
		if till != nil {
			till.SyncChanged(s)
		}
	}, OnCatalogue: func(int64) {
		if till != nil {
			till.CatalogueChanged()
		}
	}})
	d.Sync = tillsync.Link{Client: client, Syncer: syncer}
	till = ui.New(w, d)
	// The window's background work (the retry loop that asks terminals about unknown
	// payments) ends with the window, before the terminals and the database close.
	defer till.Close()
	syncCtx, stopSync := context.WithCancel(ctx)
	defer stopSync()
	go syncer.Run(syncCtx)
	w.SetMaster()
	fmt.Fprintf(stderr, "till: database %s\n", o.db)
	w.ShowAndRun()
	return 0
}
