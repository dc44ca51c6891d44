// Package assets embeds what the till ships with: the icon and the translations (Italian
// first, English when the system asks for it).
package assets

import (
	"embed"
	_ "embed"

	"fyne.io/fyne/v2"
)

// Translations holds translations/it.json and translations/en.json for fyne's lang package.
//
//go:embed translations/*.json
var Translations embed.FS

//go:embed icon.png
var iconPNG []byte

// Icon is the application icon.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)
