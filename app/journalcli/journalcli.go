// Package journalcli is `till journal --day` (the journal of any business day, for the
// manager and the accountant) and `till audit verify` (the tamper-evident audit chain,
// docs/audit.md). Both only read what the till recorded; neither changes a sale. Messages are in
// the run's language (internal/i18n); the JSON is the same in every language.
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
	"time"

	"till/app/errtext"
	"till/internal/i18n"
	"till/storage"
)

// Exit statuses.
const (
	ExitOK     = 0
	ExitBroken = 1 // audit verify: the chain is broken
	ExitError  = 2 // bad usage, no database, a read that failed
)

// printer says the commands' texts, in the run's language, on one stream.
type printer struct {
	out io.Writer
}

func newPrinter(out io.Writer) printer { return printer{out: out} }

func (p printer) say(key string, data map[string]any) {
	fmt.Fprintln(p.out, i18n.T(key, data))
}

// explain says what failed (key) and why (err), with its technical detail on its own line.
func (p printer) explain(err error, key string, data map[string]any) {
	fmt.Fprintln(p.out, errtext.Explain(errtext.Wrap(err, key, data)))
}

// open opens the till's database, refusing to create one: a new empty file verifies and
// journals nothing, which would say the wrong thing.
func open(ctx context.Context, path string, errs printer) (*storage.DB, bool) {
	db, err := storage.OpenExisting(ctx, path)
	switch {
	case errors.Is(err, storage.ErrNoDatabase):
		errs.say("tool.db.missing", map[string]any{"Path": path})
		return nil, false
	case err != nil:
		errs.explain(err, "tool.db.open", map[string]any{"Path": path})
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
		fmt.Fprint(stderr, errtext.Flag(err))
		errs.say("tool.journal.usage", nil)
		return ExitError
	}
	if _, err := time.Parse(time.DateOnly, *day); err != nil {
		errs.say("tool.journal.day", map[string]any{"Day": *day})
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
		errs.explain(err, "tool.journal.read", nil)
		return ExitError
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(j); err != nil {
			errs.explain(err, "tool.journal.read", nil)
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
		errs.say("tool.audit.usage", nil)
		return ExitError
	}
	flags := flag.NewFlagSet("till audit verify", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	dbPath := flags.String("db", "", "")
	asJSON := flags.Bool("json", false, "")
	if err := flags.Parse(args[1:]); err != nil || *dbPath == "" || flags.NArg() > 0 {
		fmt.Fprint(stderr, errtext.Flag(err))
		errs.say("tool.audit.usage", nil)
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
		errs.explain(err, "tool.audit.failed", nil)
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
		fmt.Fprintln(p.out, i18n.N("tool.audit.ok", r.Entries, map[string]any{"Path": path}))
		if r.Unchecked > 0 {
			fmt.Fprintln(p.out, i18n.N("tool.audit.unchecked", r.Unchecked))
		}
		return
	}
	b := r.Broken
	entry := map[string]any{"Seq": b.Seq, "Kind": b.Kind, "ID": b.ID}
	if b.Seq > 0 {
		p.say("tool.audit.broken", entry)
	} else {
		p.say("tool.audit.broken.unchained", entry)
	}
	// The detail is storage's technical English, so it stays in brackets after the reason.
	p.say("tool.audit.why", map[string]any{"Reason": reason(b.Reason), "Detail": b.Detail})
	p.say("tool.audit.advice", nil)
}

// reason tells a Break code to people; a code this version does not know is shown as it is.
func reason(code string) string {
	if key := "tool.audit.reason." + code; i18n.Has(key) {
		return i18n.T(key)
	}
	return code
}
