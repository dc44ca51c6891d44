package portal_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"regexp"
	"testing"

	"till/app/catalogue"
	"till/app/checkout"
	"till/portal"
	"till/portal/portaltest"
)

// The demo catalogue's rows and barcodes, which the till's tests use too.
var (
	ean13 = portaltest.Barcode
	rows  = portaltest.Rows
)

// shop is an account with one sales point and a till, for the catalogue tests.
type shop struct {
	email, password, accountID, spID, tillID string
}

var shopSeq = 0

func newShop(t testing.TB, p *testPortal) shop {
	t.Helper()
	ctx := context.Background()
	shopSeq++
	s := shop{email: fmt.Sprintf("negozio%d@esempio.it", shopSeq), password: "password-lunga-1"}
	acc, err := p.Store.CreateAccount(ctx, "Alimentari Rossi", s.email, s.password)
	if err != nil {
		t.Fatal(err)
	}
	sp, err := p.Store.CreateSalesPoint(ctx, acc.ID, "Bologna Centro")
	if err != nil {
		t.Fatal(err)
	}
	till, err := p.Store.CreateTill(ctx, acc.ID, sp.ID, "Cassa 1")
	if err != nil {
		t.Fatal(err)
	}
	s.accountID, s.spID, s.tillID = acc.ID, sp.ID, till.ID
	return s
}

// departments adds the reparti 1 Bar 22%, 2 Cucina 10%, 4 Bollo N1 and returns them by number.
func (s shop) departments(t testing.TB, p *testPortal) map[int]checkout.Department {
	t.Helper()
	out := map[int]checkout.Department{}
	for _, d := range []checkout.Department{{Number: 1, Name: "Bar", VATRate: 2200}, {Number: 2, Name: "Cucina", VATRate: 1000},
		{Number: 4, Name: "Bollo", Nature: "N1"}} {
		saved, err := p.Store.SaveDepartment(context.Background(), s.accountID, s.spID, d)
		if err != nil {
			t.Fatal(err)
		}
		out[d.Number] = saved
	}
	return out
}

// csvFile writes rows as a catalogue file with the till's writer.
func csvFile(t testing.TB, rs []catalogue.Row) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := catalogue.Write(&buf, rs); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func (s shop) info(t testing.TB, p *testPortal) portal.CatalogueInfo {
	t.Helper()
	info, err := p.Store.CatalogueInfo(context.Background(), s.accountID, s.spID)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func (s shop) base() string { return "/catalogo/" + s.spID }

// upload posts a catalogue file as the upload form does, with the current CSRF token.
func (b *browser) upload(path, name string, data []byte, replace bool) (int, string) {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", b.csrf)
	if replace {
		mw.WriteField("replace", "si")
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		b.t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	resp, err := b.c.Post(b.p.URL+path, mw.FormDataContentType(), &body)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.read(resp)
}

// problemRows are the rows of the upload page's problem table: line, column, message.
var problemRow = regexp.MustCompile(`<tr class="problema"><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>`)

func problems(body string) [][3]string {
	var out [][3]string
	for _, m := range problemRow.FindAllStringSubmatch(body, -1) {
		out = append(out, [3]string{m[1], m[2], m[3]})
	}
	return out
}
