// Package journalcli is `till journal --day` (the journal of any business day, for the
// manager and the accountant) and `till audit verify` (the tamper-evident audit chain,
// docs/audit.md). Both only read what the till recorded; neither changes a sale. Text is
// Italian, English when LANG starts with "en"; the JSON is the same in both.
package journalcli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"till/storage"
)

// Exit statuses.
const (
	ExitOK     = 0
	ExitBroken = 1 // audit verify: the chain is broken
	ExitError  = 2 // bad usage, no database, a read that failed
)

// Usage lines, for `till` help.
const (
	JournalUsage = "till journal --db PATH --day YYYY-MM-DD [--json]"
	AuditUsage   = "till audit verify --db PATH [--json]"
)

// messages are the commands' texts: Italian first, English second.
var messages = map[string][2]string{
	"journal-usage": {"uso: till journal --db PERCORSO --day AAAA-MM-GG [--json]", "usage: " + JournalUsage},
	"audit-usage":   {"uso: till audit verify --db PERCORSO [--json]", "usage: " + AuditUsage},
	"no-db":         {"database %s non trovato: indica quello della cassa con --db", "database %s not found: give the till's one with --db"},
	"open-db":       {"impossibile aprire il database %s: %v", "cannot open the database %s: %v"},
	"bad-day":       {"giorno non valido %q: usa AAAA-MM-GG, es. 2026-11-27", "invalid day %q: use YYYY-MM-DD, e.g. 2026-11-27"},
	"read":          {"impossibile leggere il giornale: %v", "cannot read the journal: %v"},
	"verify-fail":   {"impossibile verificare la catena: %v", "cannot verify the chain: %v"},
	"chain-ok":      {"Catena di controllo integra: %d voci verificate (%s)", "Audit chain intact: %d entries verified (%s)"},
	"unchecked":     {"%d voci di tipi senza lettore del contenuto: verificati solo i collegamenti", "%d entries of kinds with no content reader: links checked only"},
	"chain-broken":  {"Catena di controllo interrotta alla voce %d: %s %s", "Audit chain broken at entry %d: %s %s"},
	"chain-broken0": {"Catena di controllo interrotta: %s %s", "Audit chain broken: %s %s"},
	"why":           {"Motivo: %s (%s)", "Reason: %s (%s)"},
	"advice": {"Il database è stato modificato fuori dalla cassa: conserva il file com'è e chiama l'assistenza.",
		"The database was changed outside the till: keep the file as it is and call support."},
}

// reasons tells each Break code to people.
var reasons = map[string][2]string{
	storage.BreakNoGenesis:     {"la catena non inizia dalla sua prima voce", "the chain does not start at its first entry"},
	storage.BreakEntryMissing:  {"voci della catena cancellate", "chain entries deleted"},
	storage.BreakLinkBroken:    {"voci della catena riordinate o sostituite", "chain entries reordered or replaced"},
	storage.BreakEntryAltered:  {"voce della catena modificata", "chain entry edited"},
	storage.BreakRecordAltered: {"dati modificati dopo la registrazione", "data changed after it was recorded"},
	storage.BreakRecordDeleted: {"dati cancellati", "data deleted"},
	storage.BreakNotChained:    {"dati inseriti fuori dalla cassa", "data inserted outside the till"},
}

type printer struct {
	en  bool
	out io.Writer
}

func newPrinter(out io.Writer) printer {
	return printer{en: strings.HasPrefix(os.Getenv("LANG"), "en"), out: out}
}

func (p printer) text(m [2]string) string {
	if p.en {
		return m[1]
	}
	return m[0]
}

func (p printer) say(key string, args ...any) {
	fmt.Fprintf(p.out, p.text(messages[key])+"\n", args...)
}

// open opens the till's database, refusing to create one: a new empty file verifies and
// journals nothing, which would say the wrong thing.
func open(ctx context.Context, path string, errs printer) (*storage.DB, bool) {
	db, err := storage.OpenExisting(ctx, path)
	switch {
	case errors.Is(err, storage.ErrNoDatabase):
		errs.say("no-db", path)
		return nil, false
	case err != nil:
		errs.say("open-db", path, err)
		return nil, false
	}
	return db, true
}

// RunJournal runs `till journal ARGS…` and returns the exit code.
func RunJournal(args []string, stdout, stderr io.Writer) int {
	errs := newPrinter(stderr)
	flags := flag.NewFlagSet("till journal", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	dbPath := flags.String("db", "", "")
	day := flags.String("day", "", "")
	asJSON := flags.Bool("json", false, "")
	if err := flags.Parse(args); err != nil || *dbPath == "" || *day == "" || flags.NArg() > 0 {
		errs.say("journal-usage")
		return ExitError
	}
	if _, err := time.Parse(time.DateOnly, *day); err != nil {
		errs.say("bad-day", *day)
		return ExitError
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	db, ok := open(ctx, *dbPath, errs)
	if !ok {
		return ExitError
	}
	defer db.Close()
	j, err := db.DayJournal(ctx, *day)
	if err != nil {
		errs.say("read", err)
		return ExitError
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(j); err != nil {
			errs.say("read", err)
			return ExitError
		}
		return ExitOK
	}
	writeJournal(newPrinter(stdout), j)
	return ExitOK
}

// RunAudit runs `till audit ARGS…` and returns the exit code: 0 when the chain holds, 1
// naming the first broken record, 2 when it could not be verified.
func RunAudit(args []string, stdout, stderr io.Writer) int {
	errs := newPrinter(stderr)
	if len(args) == 0 || args[0] != "verify" {
		errs.say("audit-usage")
		return ExitError
	}
	flags := flag.NewFlagSet("till audit verify", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	dbPath := flags.String("db", "", "")
	asJSON := flags.Bool("json", false, "")
	if err := flags.Parse(args[1:]); err != nil || *dbPath == "" || flags.NArg() > 0 {
		errs.say("audit-usage")
		return ExitError
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	db, ok := open(ctx, *dbPath, errs)
	if !ok {
		return ExitError
	}
	defer db.Close()
	r, err := db.Verify(ctx)
	if err != nil {
		errs.say("verify-fail", err)
		return ExitError
	}
	if *asJSON {
		writeVerifyJSON(stdout, *dbPath, r)
	} else {
		writeVerify(newPrinter(stdout), *dbPath, r)
	}
	if !r.OK {
		return ExitBroken
	}
	return ExitOK
}

// VerifyReport is `till audit verify --json`: stable names (docs/audit.md).
type VerifyReport struct {
	Path      string       `json:"path"`
	OK        bool         `json:"ok"`
	Entries   int          `json:"entries"`
	Unchecked int          `json:"unchecked"`
	Broken    *BrokenEntry `json:"broken"` // null when ok
}

// BrokenEntry is the first broken record of a VerifyReport.
type BrokenEntry struct {
	Seq    int64  `json:"seq"` // 0 for a row with no entry at all
	Kind   string `json:"kind"`
	ID     string `json:"id"`
	Reason string `json:"reason"`
	Detail string `json:"detail"`
}

func writeVerifyJSON(w io.Writer, path string, r storage.VerifyResult) {
	rep := VerifyReport{Path: path, OK: r.OK, Entries: r.Entries, Unchecked: r.Unchecked}
	if b := r.Broken; b != nil {
		rep.Broken = &BrokenEntry{Seq: b.Seq, Kind: b.Kind, ID: b.ID, Reason: b.Reason, Detail: b.Detail}
	}
	out, _ := json.Marshal(rep)
	fmt.Fprintln(w, string(out))
}

func writeVerify(p printer, path string, r storage.VerifyResult) {
	if r.OK {
		p.say("chain-ok", r.Entries, path)
		if r.Unchecked > 0 {
			p.say("unchecked", r.Unchecked)
		}
		return
	}
	b := r.Broken
	if b.Seq > 0 {
		p.say("chain-broken", b.Seq, b.Kind, b.ID)
	} else {
		p.say("chain-broken0", b.Kind, b.ID)
	}
	p.say("why", p.text(reasons[b.Reason]), b.Detail)
	p.say("advice")
}
