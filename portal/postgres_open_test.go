package portal_test

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"

	"till/portal"
)

// Several portals started at once on a new PostgreSQL database: one migrates, the others wait
// on the advisory lock and find the schema done.
func TestPostgresConcurrentOpenMigratesOnce(t *testing.T) {
	pg := startPostgres(t)
	admin, err := sql.Open("pgx", pg.dsn("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	const rounds, openers = 10, 4
	for round := range rounds {
		name := fmt.Sprintf("race_%d", round)
		if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
			t.Fatal(err)
		}
		start := make(chan struct{})
		stores := make([]*portal.Store, openers)
		errs := make([]error, openers)
		var wg sync.WaitGroup
		for i := range openers {
			wg.Go(func() {
				<-start
				stores[i], errs[i] = portal.Open(context.Background(), pg.dsn(name))
			})
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d, opener %d: %v", round, i, err)
			}
		}
		var version, rows int
		if err := stores[0].SQL().QueryRow("SELECT MAX(version), COUNT(*) FROM portal_schema").Scan(&version, &rows); err != nil {
			t.Fatal(err)
		}
		if version != portal.SchemaVersion() || rows != 1 {
			t.Fatalf("round %d: portal_schema holds %d rows, version %d (want 1 row, %d)", round, rows, version, portal.SchemaVersion())
		}
		for _, s := range stores {
			s.Close()
		}
	}
}
