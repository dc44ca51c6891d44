package tillsync

import (
	"context"
	"fmt"
	"testing"
	"time"

	"till/portal/portaltest"
)

// BenchmarkSyncPending pushes a backlog of documented sales (a till that was offline) to a real
// portal on SQLite over loopback, through the same PushSales the syncer calls. Run with
// -benchtime 1x: each size is one push of the whole backlog.
func BenchmarkSyncPending(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			p := portaltest.Start(b)
			till := openTill(b)
			c := activated(b, till, p, p.URL, 0)
			sell(b, till, 1)
			tmpl := template(b, till.DB)
			if _, err := c.PushSales(context.Background()); err != nil {
				b.Fatal(err)
			}
			var total time.Duration
			for b.Loop() {
				b.StopTimer()
				queueCopies(b, till.DB, tmpl, n)
				b.StartTimer()
				start := time.Now()
				push, err := c.PushSales(context.Background())
				total += time.Since(start)
				if err != nil || push.Stored != n || push.Pending != 0 {
					b.Fatalf("push %+v, %v", push, err)
				}
			}
			runs := float64(b.N)
			b.ReportMetric(total.Seconds()/runs, "s/backlog")
			b.ReportMetric(float64(n)*runs/total.Seconds(), "sales/s")
		})
	}
}
