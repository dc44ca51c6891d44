package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"till/portal"
)

func TestSeedDemoJSONThenServeAndRevoke(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "portal.db")
	var out bytes.Buffer
	if err := run(ctx, []string{"seed-demo", "-db", db, "--json"}, &out); err != nil {
		t.Fatal(err)
	}
	var info portal.DemoInfo
	if err := json.Unmarshal(out.Bytes(), &info); err != nil {
		t.Fatalf("seed-demo --json printed %q: %v", out.String(), err)
	}
	if info.Email == "" || info.Password == "" || info.AccountID == "" || info.SalesPointID == "" ||
		len(info.Tills) != 2 || info.Tills[0].ActivationCode == "" || info.Tills[1].ID == "" {
		t.Fatalf("demo %+v", info)
	}

	// Serve on a free port, activate a till through it, then stop.
	serveCtx, stop := context.WithCancel(ctx)
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(serveCtx, []string{"-listen", "127.0.0.1:0", "-db", db}, pw); pw.Close() }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	go io.Copy(io.Discard, pr)
	if err != nil {
		t.Fatalf("no address printed: %v", err)
	}
	base := strings.Fields(line)[2]
	body := strings.NewReader(`{"code":"` + info.Tills[0].ActivationCode + `"}`)
	resp, err := http.Post(base+"/api/v1/activate", "application/json", body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("activate through the served portal: %d", resp.StatusCode)
	}
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("portal did not stop")
	}

	out.Reset()
	if err := run(ctx, []string{"revoke", "-db", db, "-till", info.Tills[0].ID}, &out); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"revoke", "-db", db, "-till", "nessuna"}, &out); err == nil {
		t.Fatal("revoking an unknown till succeeded")
	}
	out.Reset()
	if err := run(ctx, []string{"seed-demo", "-db", db}, &out); err != nil || !strings.Contains(out.String(), "activation code") {
		t.Fatalf("seed-demo text: %v %q", err, out.String())
	}
}
