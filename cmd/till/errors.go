package main

import (
	"errors"
	"fmt"

	"till/storage"
)

// dbError explains a database that cannot be opened, in Italian and English, with what to do.
func dbError(err error) string {
	switch {
	case errors.Is(err, storage.ErrNotSQLite):
		return fmt.Sprintf("Il file indicato non è un database della cassa e non è stato toccato: indica un altro file con -db.\n"+
			"The file is not a till database and was left untouched: pass another file with -db.\n(%v)", err)
	case errors.Is(err, storage.ErrCorrupt):
		return fmt.Sprintf("Il database è danneggiato e non è stato modificato: ripristina una copia di sicurezza o chiama l'assistenza.\n"+
			"The database is corrupt and was not modified: restore a backup or call support.\n(%v)", err)
	case errors.Is(err, storage.ErrNewerSchema):
		return fmt.Sprintf("Il database è stato scritto da una versione più recente della cassa: aggiorna il programma.\n"+
			"The database was written by a newer version of the till: update the program.\n(%v)", err)
	}
	return fmt.Sprintf("Impossibile aprire il database / cannot open the database: %v", err)
}
