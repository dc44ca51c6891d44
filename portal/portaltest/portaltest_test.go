package portaltest_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"till/portal/portaltest"
)

func TestStartGivesAnActivatablePortal(t *testing.T) {
	p := portaltest.Start(t)
	a := p.Activate(t, 0)
	req, _ := http.NewRequest("GET", p.URL+"/api/v1/config", nil)
	req.Header.Set("Authorization", "Bearer "+a.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		Till struct{ ID string } `json:"till"`
	}
	json.NewDecoder(resp.Body).Decode(&doc)
	if resp.StatusCode != 200 || doc.Till.ID != p.Demo.Tills[0].ID || resp.Header.Get("ETag") == "" {
		t.Fatalf("config: %d %+v", resp.StatusCode, doc)
	}
}
