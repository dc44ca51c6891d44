package portal_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
)

// BenchmarkIngestSales is a till catching up after being offline: batches of 500 sales POSTed
// over loopback HTTP into a portal on a file SQLite database (WAL, synchronous=FULL), each batch
// one transaction. The sub-benchmarks grow tenfold so linear growth shows in sales/s staying
// flat. Run: go test -run '^$' -bench IngestSales -benchtime 1x ./portal/
func BenchmarkIngestSales(b *testing.B) {
	benchIngest(b, startPortal)
}

// BenchmarkIngestSalesPostgres is the same on a throwaway PostgreSQL (fsync off, so it shows
// the portal's own cost rather than the disk's).
func BenchmarkIngestSalesPostgres(b *testing.B) {
	pg := startPostgres(b)
	benchIngest(b, func(tb testing.TB) *testPortal { return pg.portal(tb) })
}

func benchIngest(b *testing.B, start func(testing.TB) *testPortal) {
	for _, total := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("sales=%d", total), func(b *testing.B) {
			if total > 10_000 && testing.Short() {
				b.Skip("100,000 sales take a few seconds; not with -short")
			}
			for b.Loop() {
				b.StopTimer()
				p := start(b)
				demo := p.seed(b)
				token := p.activate(b, demo.Tills[0].ActivationCode)
				bodies := make([][]byte, 0, total/500)
				for i := 0; i < total; i += 500 {
					batch := make([]any, 0, 500)
					for j := i; j < i+500 && j < total; j++ {
						batch = append(batch, sale(demo.Tills[0].ID, int64(100+j%900)))
					}
					body, _ := json.Marshal(map[string]any{"sales": batch})
					bodies = append(bodies, body)
				}
				b.StartTimer()
				for _, body := range bodies {
					req, _ := http.NewRequest("POST", p.URL+"/api/v1/sales", bytes.NewReader(body))
					req.Header.Set("Authorization", "Bearer "+token)
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Fatalf("batch: status %d", resp.StatusCode)
					}
				}
				b.StopTimer()
				if n := countRows(b, p, "SELECT COUNT(*) FROM sales"); n != total {
					b.Fatalf("%d sales stored, want %d", n, total)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(total*b.N)/b.Elapsed().Seconds(), "sales/s")
		})
	}
}
