package ui

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"till/app/checkout"
	"till/pos/ecrsim"
)

// settleGoroutines waits (bounded) for the goroutines to come back to at most want: goroutines
// that were told to stop take a moment to return.
func settleGoroutines(t *testing.T, want int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > want {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines, want at most %d:\n%s", runtime.NumGoroutine(), want, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestExchangeClockEndsWhenStopped(t *testing.T) {
	before := runtime.NumGoroutine()
	for i := 0; i < 20; i++ {
		c := startClock(time.Now(), func(int) {})
		c.stop()
		c.stop() // a second stop is harmless
	}
	settleGoroutines(t, before)
}

func TestGoroutinesDoNotGrowOverSeveralExchanges(t *testing.T) {
	h := newHarness(t)
	h.terminals(1, nil)
	// The elapsed-time clock runs as on a real display; its updates still go through the bridge.
	h.till.deps.Headless = false
	h.firstSale() // opens the terminal and the database connections once
	before := runtime.NumGoroutine()
	for i := 0; i < 5; i++ {
		h.firstSale()
	}
	settleGoroutines(t, before)
}

func TestParkedSaleIsAskedAgainByTheTillsLoopUntilClose(t *testing.T) {
	h := newHarness(t)
	sim := h.terminals(1, nil)[0]
	h.firstSale()
	// The loop a real display runs after the start-up recovery; its results still come
	// through the bridge, applied by WaitIdle.
	h.till.deps.Headless = false
	h.till.startWatch()
	h.till.startWatch() // once only
	sim.SetLastResultMode(ecrsim.LastResultNone)
	sim.SetScenario(ecrsim.DropAfterACK)
	h.ringAndPay("400", "Bar\n22%")
	id := h.till.register.Sale().ID
	h.tap("Coverflex")
	test.Tap(h.button("CONFERMA"))
	h.till.bridge.pending.Wait()    // the exchange ended unknown; the window has not been told yet
	sim.SetScenario(ecrsim.Approve) // the terminal answers again from now on
	sim.SetLastResultMode(ecrsim.LastResultAnswer)
	h.till.WaitIdle() // parks the sale, which kicks the loop
	deadline := time.Now().Add(10 * time.Second)
	for {
		h.till.WaitIdle()
		a := h.attempts(id)
		if len(a) == 1 && a[0].State == checkout.AttemptApproved && strings.Contains(h.till.sale.message.Text, "Esito chiarito per 1 pagamento") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the loop did not settle the parked payment: %+v %q", a, h.till.sale.message.Text)
		}
		time.Sleep(10 * time.Millisecond)
	}
	h.till.Close()
	select {
	case <-h.till.watchEnd:
	default:
		t.Fatal("the loop still runs after Close")
	}
	end := h.till.watchEnd
	h.till.startWatch()
	if h.till.watchEnd != end {
		t.Fatal("the loop started again after Close")
	}
}
