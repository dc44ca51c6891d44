package portal_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"till/app/tillsync/cataloguedoc"
)

// getCatalogue is a till's GET /api/v1/catalogue; gzip asks for a packed answer and leaves it
// packed, so the test sees what went over the wire.
func (p *testPortal) getCatalogue(t testing.TB, token, etag string, gzipped bool) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", p.URL+"/api/v1/catalogue", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	if gzipped {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	defer client.CloseIdleConnections()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, data
}

func gunzip(t testing.TB, data []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func testAPIServesCatalogueWithETag(t *testing.T, p *testPortal) {
	ctx := context.Background()
	s := newShop(t, p)
	code, err := p.Store.NewActivationCode(ctx, s.accountID, s.tillID)
	if err != nil {
		t.Fatal(err)
	}
	token := p.activate(t, code)
	if st, _, body := p.getCatalogue(t, token, "", false); st != http.StatusNotFound || !strings.Contains(string(body), "no_catalogue") {
		t.Fatalf("no catalogue yet: %d %s", st, body)
	}
	deps := s.departments(t, p)
	if _, err := p.Store.ImportCatalogue(ctx, s.accountID, s.spID, rows(5), false); err != nil {
		t.Fatal(err)
	}
	list, _ := p.Store.SearchProducts(ctx, s.accountID, s.spID, "P00005", 1)
	if err := p.Store.SetProductActive(ctx, s.accountID, s.spID, list.Products[0].ID, false); err != nil {
		t.Fatal(err)
	}
	version := s.info(t, p).CatalogueVersion
	st, h, plain := p.getCatalogue(t, token, "", false)
	etag := h.Get("ETag")
	if st != 200 || etag != cataloguedoc.ETag(s.spID, version) || h.Get("Content-Encoding") != "" {
		t.Fatalf("catalogue: %d, ETag %q (version %d), encoding %q", st, etag, version, h.Get("Content-Encoding"))
	}
	doc, err := cataloguedoc.Parse(plain)
	if err != nil {
		t.Fatalf("the till's parser refuses the served catalogue: %v", err)
	}
	if doc.Version != version || len(doc.Departments) != 3 || len(doc.Products) != 4 || len(doc.Categories) != 3 {
		t.Fatalf("document: version %d, %d departments, %d products, %d categories", doc.Version, len(doc.Departments),
			len(doc.Products), len(doc.Categories))
	}
	if p0 := doc.Products[0]; p0.Code != "P00001" || p0.PriceCents != 100 || p0.Department != 1 || p0.Category != "Bevande" ||
		len(p0.Barcodes) != 1 || p0.Barcodes[0] != ean13(1) {
		t.Fatalf("first product %+v", p0)
	}
	if d := doc.Departments[2]; d.Number != 4 || d.VATRate != 0 || d.Nature != "N1" || deps[4].Name != d.Name {
		t.Fatalf("department 4 %+v", d)
	}
	st, h, packed := p.getCatalogue(t, token, "", true)
	if st != 200 || h.Get("Content-Encoding") != "gzip" || !bytes.Equal(gunzip(t, packed), plain) {
		t.Fatalf("gzipped: %d, encoding %q, same document: %v", st, h.Get("Content-Encoding"), bytes.Equal(gunzip(t, packed), plain))
	}
	// A till holding the current version gets 304, and the portal writes nothing.
	writes := p.writes(t, s.tillID, s.spID)
	for range 3 {
		if st, h, body := p.getCatalogue(t, token, etag, true); st != http.StatusNotModified || h.Get("ETag") != etag || len(body) != 0 {
			t.Fatalf("same version: %d %q %q", st, h.Get("ETag"), body)
		}
	}
	if after := p.writes(t, s.tillID, s.spID); after != writes {
		t.Fatalf("304 pulls wrote to the database: %s → %s", writes, after)
	}
	if n := countRows(t, p, "SELECT catalogue_version_seen FROM tills WHERE id = ?", s.tillID); int64(n) != version {
		t.Fatalf("the portal records the till holding catalogue %d, want %d", n, version)
	}
	// Another sales point's ETag with the same version number is not this one.
	if st, _, _ := p.getCatalogue(t, token, cataloguedoc.ETag("another-sales-point", version), false); st != 200 {
		t.Fatalf("an ETag of another sales point: %d", st)
	}
	// A change gives a new version, served in full to the till holding the old one.
	list, _ = p.Store.SearchProducts(ctx, s.accountID, s.spID, "P00005", 1)
	if err := p.Store.SetProductActive(ctx, s.accountID, s.spID, list.Products[0].ID, true); err != nil {
		t.Fatal(err)
	}
	st, h, body := p.getCatalogue(t, token, etag, false)
	doc, err = cataloguedoc.Parse(body)
	if st != 200 || err != nil || doc.Version != version+1 || len(doc.Products) != 5 || h.Get("ETag") != cataloguedoc.ETag(s.spID, version+1) {
		t.Fatalf("after a change: %d, %v, %+v", st, err, h)
	}
	// Tills asking together after a change all get the same bytes (built once, then cached).
	if err := p.Store.SetProductActive(ctx, s.accountID, s.spID, list.Products[0].ID, false); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		status int
		etag   string
		body   []byte
		err    error
	}
	answers := make(chan answer, 8)
	for range 8 {
		go func() { // no t.Fatal off the test's goroutine: errors come back in the answer
			req, _ := http.NewRequest("GET", p.URL+"/api/v1/catalogue", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("If-None-Match", etag)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				answers <- answer{err: err}
				return
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			answers <- answer{resp.StatusCode, resp.Header.Get("ETag"), body, err}
		}()
	}
	var first answer
	for i := range 8 {
		a := <-answers
		if i == 0 {
			first = a
		}
		if a.err != nil || a.status != 200 || a.etag != cataloguedoc.ETag(s.spID, version+2) || !bytes.Equal(a.body, first.body) {
			t.Fatalf("concurrent pulls: %v %d %q, same bytes %v", a.err, a.status, a.etag, bytes.Equal(a.body, first.body))
		}
	}
	// A till of another account gets its own sales point's catalogue: none.
	other := newShop(t, p)
	code, _ = p.Store.NewActivationCode(ctx, other.accountID, other.tillID)
	if st, _, _ := p.getCatalogue(t, p.activate(t, code), "", false); st != http.StatusNotFound {
		t.Fatalf("a till of another account: %d", st)
	}
	if st, _, _ := p.getCatalogue(t, "not-a-token", "", false); st != http.StatusUnauthorized {
		t.Fatalf("a bad token: %d", st)
	}
}

// testUploadABigCatalogue uploads a file of bigCatalogue products (50,000 without -race)
// through the page, browses it, and serves it to a till: the sizes the issue asks for, with
// the times logged.
func testUploadABigCatalogue(t *testing.T, p *testPortal) {
	if testing.Short() {
		t.Skip("a big catalogue")
	}
	const n = bigCatalogue
	ctx := context.Background()
	s := newShop(t, p)
	s.departments(t, p)
	file := csvFile(t, rows(n))
	br := p.login(t, s.email, s.password)
	br.get(s.base() + "/importa")
	start := time.Now()
	code, body := br.upload(s.base()+"/importa", "listino.csv", file, true)
	took := time.Since(start)
	if code != 200 || !strings.Contains(body, fmt.Sprintf(`<span id="aggiunti">%d</span>`, n)) {
		t.Fatalf("upload: %d\n%.2000s", code, body)
	}
	start = time.Now()
	code, body = br.upload(s.base()+"/importa", "listino.csv", file, true)
	again := time.Since(start)
	if code != 200 || !strings.Contains(body, "Nessun cambiamento") {
		t.Fatalf("upload again: %d\n%.2000s", code, body)
	}
	middle := n / 50 / 2
	_, page := br.get(s.base() + fmt.Sprintf("?pagina=%d", middle))
	if rows := strings.Count(page, `<tr id="prodotto-`); rows != 50 || len(page) > 100<<10 ||
		!strings.Contains(page, fmt.Sprintf("pagina %d di %d", middle, n/50)) {
		t.Fatalf("page %d: %d rows, %d bytes", middle, rows, len(page))
	}
	if _, found := br.get(s.base() + "?q=" + ean13(n-7)); !strings.Contains(found, fmt.Sprintf("P%05d", n-7)) ||
		!strings.Contains(found, "1 prodotti trovati") {
		t.Fatalf("search by barcode in %d products", n)
	}
	act, _ := p.Store.NewActivationCode(ctx, s.accountID, s.tillID)
	token := p.activate(t, act)
	start = time.Now()
	st, _, packed := p.getCatalogue(t, token, "", true)
	build := time.Since(start)
	start = time.Now()
	p.getCatalogue(t, token, "", true)
	cached := time.Since(start)
	plain := gunzip(t, packed)
	doc, err := cataloguedoc.Parse(plain)
	if st != 200 || err != nil || len(doc.Products) != n {
		t.Fatalf("serve: %d, %v", st, err)
	}
	t.Logf("%d products: file %d KB uploaded and applied in %v, again (no change) in %v; document %d KB, gzipped %d KB, built in %v, from the cache in %v",
		n, len(file)>>10, took.Round(time.Millisecond), again.Round(time.Millisecond), len(plain)>>10, len(packed)>>10,
		build.Round(time.Millisecond), cached.Round(time.Millisecond))
}
