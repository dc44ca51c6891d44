package main

import (
	"till/app/errtext"
)

// dbError explains a database that cannot be opened, in the run's language, with what to do
// and the technical detail on a line of its own.
func dbError(err error) string { return errtext.Explain(err) }
