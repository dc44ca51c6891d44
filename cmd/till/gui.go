package main

import (
	"context"
	"fmt"
	"io"
	"time"

	fyneapp "fyne.io/fyne/v2/app"

	"till/app/boot"
	"till/app/configcli"
	"till/app/tillsync"
	"till/app/ui"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func title() string { return "Cassa · demo" }

type guiOptions struct {
	db, config, printer string
	demo, courtesy      bool
	reprintByNumber     bool
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
			fmt.Fprintf(stderr, "configurazione non importata, resta in uso quella precedente / configuration not imported, the previous one stays in force:\n  %v\n", err)
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
	w.Resize(ui.WindowSize)
	name := title()
	if !o.demo || o.config != "" {
		name = "Cassa"
	}
	d := deps(t, name+" · "+o.db)
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
