package ui

import "strings"

// keepEuroAttached glues every " €" of a text shown in a wrapping label to its amount, so a
// line never ends with "1,20" and leaves "€" alone on the next. A no-break space (U+00A0)
// would be the typographer's choice, but Fyne 2.7's word wrap breaks at every unicode.IsSpace
// rune, U+00A0 and U+202F included: the sign follows the amount with no space at all.
// Only screen texts: the printer, invoices, the CLIs' JSON and the database keep
// money.Cents' "1,20 €".
func keepEuroAttached(text string) string { return strings.ReplaceAll(text, " €", "€") }
