package portal

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"till/app/catalogue"
	"till/app/checkout"
)

// maxUploadBody bounds a catalogue file upload: 50,000 products are about 4 MB of CSV.
const maxUploadBody = 32 << 20

// importView is the upload page: the form, and after a POST either what changed or every
// problem of the file (nothing was changed then).
type importView struct {
	Info     CatalogueInfo
	Base     string
	Header   string
	Replace  bool
	FileName string
	Result   *ImportResult
	Problems []catalogue.Problem
}

// ProblemText is a problem as the page lists it, in Italian, without the line and the column
// (they have their own).
func (importView) ProblemText(p catalogue.Problem) string {
	p.Line, p.Field = 0, ""
	return p.Message(false)
}

// FieldName is the Italian name of a problem's column.
func (importView) FieldName(p catalogue.Problem) string {
	names := map[string]string{"code": "codice", "barcode": "codice a barre", "name": "nome", "price": "prezzo",
		"department": "reparto", "category": "categoria"}
	if n, ok := names[p.Field]; ok {
		return n
	}
	return "—"
}

func (s *server) importPage(w http.ResponseWriter, r *http.Request, wc *web) {
	s.renderImport(w, r, wc, http.StatusOK, importView{}, "")
}

func (s *server) renderImport(w http.ResponseWriter, r *http.Request, wc *web, status int, v importView, msg string) {
	info, ok := s.catalogueInfo(w, r, wc)
	if !ok {
		return
	}
	v.Info, v.Base, v.Header = info, catalogueBase(info.ID), catalogue.Header
	d := wc.data("Importa catalogo · "+info.Name, r, v)
	d.Error = msg
	s.render(w, status, "import", d)
}

// importCatalogue reads an uploaded file with the till's own parser (catalogue.Parse, the one
// `till catalogue import` uses), against the sales point's departments, and applies it all or
// nothing. A file with any problem changes nothing; the page lists every problem by line.
func (s *server) importCatalogue(w http.ResponseWriter, r *http.Request, wc *web) {
	v := importView{Replace: r.PostForm.Get("replace") == "si"}
	file, header, err := r.FormFile("file")
	if err != nil {
		s.renderImport(w, r, wc, http.StatusBadRequest, v, "Scegli il file CSV del catalogo da caricare.")
		return
	}
	defer file.Close()
	v.FileName = header.Filename
	deps, err := s.store.CatalogueDepartments(r.Context(), wc.Account.ID, r.PathValue("sp"))
	if s.formError(w, r, err) {
		return
	}
	departments := make([]checkout.Department, len(deps))
	for i, d := range deps {
		departments[i] = d.Department
	}
	rows, err := catalogue.Parse(file, departments)
	if err == nil {
		var res ImportResult
		res, err = s.store.ImportCatalogue(r.Context(), wc.Account.ID, r.PathValue("sp"), rows, v.Replace)
		v.Result = &res
	}
	var invalid *catalogue.Invalid
	switch {
	case errors.As(err, &invalid):
		v.Result, v.Problems = nil, invalid.Problems
		msg := fmt.Sprintf("Il file ha %d problemi: nessun prodotto è stato cambiato. Correggi le righe elencate e caricalo di nuovo.", len(invalid.Problems))
		if len(departments) == 0 {
			msg += " Il punto vendita non ha ancora reparti: aggiungili prima in «Reparti e categorie»."
		}
		s.renderImport(w, r, wc, http.StatusBadRequest, v, msg)
	case s.formError(w, r, err):
	default:
		s.renderImport(w, r, wc, http.StatusOK, v, "")
	}
}

// exportCatalogue downloads the active products as a catalogue file, which `till catalogue
// import` and this portal's upload read back to the same catalogue.
func (s *server) exportCatalogue(w http.ResponseWriter, r *http.Request, wc *web) {
	info, ok := s.catalogueInfo(w, r, wc)
	if !ok {
		return
	}
	rows, err := s.store.ActiveCatalogueRows(r.Context(), wc.Account.ID, info.ID)
	if s.formError(w, r, err) {
		return
	}
	var buf bytes.Buffer
	if err := catalogue.Write(&buf, rows); err != nil {
		s.internal(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Disposition", `attachment; filename="`+fileName(info.Name)+`.csv"`)
	io.Copy(w, &buf)
}

// fileName makes a download's name from a sales point's name: letters and digits only.
func fileName(name string) string {
	f := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-':
			return r
		case r == ' ' || r == '_':
			return '-'
		}
		return -1
	}, name)
	return "catalogo-" + strings.Trim(f, "-")
}
