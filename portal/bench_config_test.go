package portal_test

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"till/portal"
)

// pollingTills is how many tills poll one portal at once in the configuration benchmarks.
const pollingTills = 200

// BenchmarkConfigNotModified is 200 tills of one sales point polling for their configuration at
// once, each already holding the current version, so every answer is 304: the common case of
// a chain's morning. It reports the latency percentiles and the write transactions committed
// per pull on the SQLite file (counted by the commit hook of commits_test.go).
// Run: go test -run '^$' -bench ConfigNotModified -benchtime 4000x ./portal/
func BenchmarkConfigNotModified(b *testing.B) {
	benchConfigNotModified(b, startPortal)
}

// BenchmarkConfigNotModifiedPostgres is the same on a throwaway PostgreSQL (fsync off).
func BenchmarkConfigNotModifiedPostgres(b *testing.B) {
	pg := startPostgres(b)
	benchConfigNotModified(b, func(tb testing.TB) *testPortal { return pg.portal(tb) })
}

func benchConfigNotModified(b *testing.B, start func(testing.TB) *testPortal) {
	b.StopTimer()
	p := start(b)
	tills := p.pollingTills(b, pollingTills)
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: pollingTills, MaxIdleConnsPerHost: pollingTills}}
	defer client.CloseIdleConnections()
	pull := func(t pollingTill) (int, error) {
		req, _ := http.NewRequest("GET", p.URL+"/api/v1/config", nil)
		req.Header.Set("Authorization", "Bearer "+t.token)
		req.Header.Set("If-None-Match", t.etag)
		req.Header.Set(portal.PendingHeader, "0") // what an idle till sends
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	// One pull each first: the till's "0 sales waiting" is then recorded, as after its first sync.
	for _, t := range tills {
		if st, err := pull(t); err != nil || st != http.StatusNotModified {
			b.Fatalf("first pull: status %d, %v", st, err)
		}
	}
	var (
		mu        sync.Mutex
		latencies []time.Duration
		next      atomic.Int64
	)
	procs := runtime.GOMAXPROCS(0)
	b.SetParallelism((pollingTills + procs - 1) / procs)
	committed := commits(p.Store.Path())
	b.StartTimer()
	b.RunParallel(func(pb *testing.PB) {
		t := tills[int(next.Add(1))%len(tills)]
		var mine []time.Duration
		for pb.Next() {
			began := time.Now()
			st, err := pull(t)
			if err != nil || st != http.StatusNotModified {
				b.Errorf("pull: status %d, %v", st, err)
				return
			}
			mine = append(mine, time.Since(began))
		}
		mu.Lock()
		latencies = append(latencies, mine...)
		mu.Unlock()
	})
	b.StopTimer()
	slices.Sort(latencies)
	if len(latencies) > 0 {
		b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
	}
	if !p.pg {
		b.ReportMetric(float64(commits(p.Store.Path())-committed)/float64(b.N), "commits/op")
	}
}

// pollingTill is an activated till that holds the current configuration.
type pollingTill struct {
	token string
	etag  string
}

// pollingTills adds n tills to the demo sales point, activates them and pulls their
// configuration once, as each would on its first sync.
func (p *testPortal) pollingTills(tb testing.TB, n int) []pollingTill {
	tb.Helper()
	ctx := context.Background()
	demo := p.seed(tb)
	var codes []string
	for i := range n {
		till, err := p.Store.CreateTill(ctx, demo.AccountID, demo.SalesPointID, fmt.Sprintf("Cassa polling %03d", i))
		if err != nil {
			tb.Fatal(err)
		}
		code, err := p.Store.NewActivationCode(ctx, demo.AccountID, till.ID)
		if err != nil {
			tb.Fatal(err)
		}
		codes = append(codes, code)
	}
	tills := make([]pollingTill, 0, n)
	for _, code := range codes {
		token := p.activate(tb, code)
		st, h, body := p.raw(tb, "GET", "/api/v1/config", token, nil)
		if st != http.StatusOK {
			tb.Fatalf("first pull: %d %s", st, body)
		}
		tills = append(tills, pollingTill{token: token, etag: h.Get("ETag")})
	}
	return tills
}
