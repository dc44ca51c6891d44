package main

import (
	"context"
	"fmt"
	"io"

	fyneapp "fyne.io/fyne/v2/app"

	"till/app/boot"
	"till/app/ui"
	"till/storage"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func title() string { return "Cassa · demo" }

// runGUI opens the database and shows the till window until it is closed.
func runGUI(dbPath string, stderr io.Writer) int {
	ui.DefaultLanguageEnv()
	t, err := boot.Open(context.Background(), dbPath)
	if err != nil {
		fmt.Fprintln(stderr, dbError(err))
		return 2
	}
	defer t.Close()
	a := fyneapp.NewWithID("it.cassa.till")
	if err := ui.LoadTranslations(); err != nil {
		fmt.Fprintln(stderr, err)
	}
	a.Settings().SetTheme(ui.Theme())
	w := a.NewWindow("Cassa")
	w.Resize(ui.WindowSize)
	ui.New(w, ui.Deps{Store: t.DB, Checkout: t.Checkout, NewID: storage.NewID, Title: title() + " · " + dbPath})
	w.SetMaster()
	fmt.Fprintf(stderr, "till: database %s\n", dbPath)
	w.ShowAndRun()
	return 0
}
