package portal

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"till/app/catalogue"
	"till/app/checkout"
	"till/money"
)

// The catalogue pages: /catalogo lists the sales points, /catalogo/{sp} their products (paged
// and searchable), with pages for one product, the departments and categories, and the CSV
// upload and download (catalogue_upload.go). Every form posts and redirects, or re-renders
// with what was typed and an Italian message when it is refused.

const cataloguePath = "/catalogo"

func catalogueBase(spID string) string { return cataloguePath + "/" + url.PathEscape(spID) }

// natures are the Natura codes the department form offers (an operation without VAT).
var natures = []string{"N1", "N2", "N3", "N4", "N5", "N6", "N7"}

func (s *server) routeCatalogue(mux *http.ServeMux) {
	mux.HandleFunc("GET "+cataloguePath, s.page(s.cataloguesPage))
	sp := cataloguePath + "/{sp}"
	mux.HandleFunc("GET "+sp, s.page(s.productsPage))
	mux.HandleFunc("GET "+sp+"/prodotti/nuovo", s.page(s.newProductPage))
	mux.HandleFunc("POST "+sp+"/prodotti", s.page(s.saveProduct))
	mux.HandleFunc("GET "+sp+"/prodotti/{id}", s.page(s.productPage))
	mux.HandleFunc("POST "+sp+"/prodotti/{id}", s.page(s.saveProduct))
	mux.HandleFunc("POST "+sp+"/prodotti/{id}/attivo", s.page(s.setProductActive))
	mux.HandleFunc("GET "+sp+"/reparti", s.page(s.departmentsPage))
	mux.HandleFunc("POST "+sp+"/reparti", s.page(s.saveDepartment))
	mux.HandleFunc("POST "+sp+"/reparti/{id}", s.page(s.saveDepartment))
	mux.HandleFunc("POST "+sp+"/reparti/{id}/elimina", s.page(s.deleteDepartment))
	mux.HandleFunc("POST "+sp+"/categorie", s.page(s.saveCategory))
	mux.HandleFunc("POST "+sp+"/categorie/{id}", s.page(s.saveCategory))
	mux.HandleFunc("POST "+sp+"/categorie/{id}/elimina", s.page(s.deleteCategory))
	mux.HandleFunc("GET "+sp+"/importa", s.page(s.importPage))
	mux.HandleFunc("POST "+sp+"/importa", s.upload(maxUploadBody, s.importCatalogue))
	mux.HandleFunc("GET "+sp+"/prodotti.csv", s.page(s.exportCatalogue))
}

func (s *server) cataloguesPage(w http.ResponseWriter, r *http.Request, wc *web) {
	sps, err := s.store.SalesPoints(r.Context(), wc.Account.ID)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	infos := make([]CatalogueInfo, 0, len(sps))
	for _, sp := range sps {
		info, err := s.store.CatalogueInfo(r.Context(), wc.Account.ID, sp.ID)
		if err != nil {
			s.internal(w, r, err)
			return
		}
		infos = append(infos, info)
	}
	s.render(w, http.StatusOK, "catalogues", wc.data("Catalogo", r, map[string]any{"SalesPoints": infos}))
}

// catalogueInfo reads the sales point of the request, answering 404 itself.
func (s *server) catalogueInfo(w http.ResponseWriter, r *http.Request, wc *web) (CatalogueInfo, bool) {
	info, err := s.store.CatalogueInfo(r.Context(), wc.Account.ID, r.PathValue("sp"))
	if s.formError(w, r, err) {
		return CatalogueInfo{}, false
	}
	return info, true
}

// productsView is the product list of a sales point.
type productsView struct {
	Info  CatalogueInfo
	Base  string
	Query string
	ProductPage
}

// PageURL is the link to another page of the same search.
func (v productsView) PageURL(page int) string {
	q := url.Values{"pagina": {strconv.Itoa(page)}}
	if v.Query != "" {
		q.Set("q", v.Query)
	}
	return v.Base + "?" + q.Encode()
}

func (s *server) productsPage(w http.ResponseWriter, r *http.Request, wc *web) {
	info, ok := s.catalogueInfo(w, r, wc)
	if !ok {
		return
	}
	query := strings.TrimSpace(r.URL.Query().Get("q"))
	if !validText(query) || len(query) > 200 {
		s.errorPage(w, http.StatusBadRequest, "Ricerca non valida: al massimo 200 caratteri normali.")
		return
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("pagina"))
	list, err := s.store.SearchProducts(r.Context(), wc.Account.ID, info.ID, query, page)
	if s.formError(w, r, err) {
		return
	}
	s.render(w, http.StatusOK, "catalogue", wc.data("Catalogo · "+info.Name, r,
		productsView{Info: info, Base: catalogueBase(info.ID), Query: query, ProductPage: list}))
}

// productForm is the product page: the product being edited (or typed, when refused) and the
// choices of its selects.
type productForm struct {
	Info        CatalogueInfo
	Base        string
	New         bool
	ID          string
	Code        string
	Name        string
	Price       string
	Barcodes    string
	Department  string
	Category    string
	Active      bool
	Departments []DepartmentRow
	Categories  []CategoryRow
}

func (s *server) newProductPage(w http.ResponseWriter, r *http.Request, wc *web) {
	s.renderProduct(w, r, wc, http.StatusOK, productForm{New: true, Active: true}, "")
}

func (s *server) productPage(w http.ResponseWriter, r *http.Request, wc *web) {
	p, err := s.store.Product(r.Context(), wc.Account.ID, r.PathValue("sp"), r.PathValue("id"))
	if s.formError(w, r, err) {
		return
	}
	s.renderProduct(w, r, wc, http.StatusOK, productForm{ID: p.ID, Code: p.Code, Name: p.Name, Price: p.Price.Decimal(),
		Barcodes: strings.Join(p.Barcodes, " "), Department: p.DepartmentID, Category: p.CategoryID, Active: p.Active}, "")
}

func (s *server) renderProduct(w http.ResponseWriter, r *http.Request, wc *web, status int, f productForm, msg string) {
	info, ok := s.catalogueInfo(w, r, wc)
	if !ok {
		return
	}
	f.Info, f.Base = info, catalogueBase(info.ID)
	var err error
	if f.Departments, err = s.store.CatalogueDepartments(r.Context(), wc.Account.ID, info.ID); err != nil {
		s.internal(w, r, err)
		return
	}
	if f.Categories, err = s.store.CatalogueCategories(r.Context(), wc.Account.ID, info.ID); err != nil {
		s.internal(w, r, err)
		return
	}
	title := "Nuovo prodotto"
	if !f.New {
		title = "Prodotto " + f.Code
	}
	d := wc.data(title, r, f)
	d.Error = msg
	s.render(w, status, "product", d)
}

// splitBarcodes reads the barcodes field: codes separated by spaces, commas, semicolons or |.
func splitBarcodes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == ',' || r == ';' || r == '|' || r == '\t' || r == '\n' || r == '\r'
	})
}

func (s *server) saveProduct(w http.ResponseWriter, r *http.Request, wc *web) {
	f := productForm{ID: r.PathValue("id"), Code: r.PostForm.Get("code"), Name: r.PostForm.Get("name"),
		Price: r.PostForm.Get("price"), Barcodes: r.PostForm.Get("barcodes"), Department: r.PostForm.Get("department"),
		Category: r.PostForm.Get("category"), Active: r.PostForm.Get("active") == "si"}
	f.New = f.ID == ""
	if f.New {
		f.Active = true // a new product is for sale; it is deactivated afterwards
	}
	p := checkout.Product{ID: f.ID, Code: f.Code, Name: f.Name, Barcodes: splitBarcodes(f.Barcodes),
		DepartmentID: f.Department, CategoryID: f.Category, Active: f.Active}
	price, err := money.Parse(f.Price)
	if err != nil {
		problem := catalogue.Problem{Field: "price", Code: catalogue.ProblemPrice, Value: f.Price}
		s.renderProduct(w, r, wc, http.StatusBadRequest, f, "Da correggere: "+problem.Message(false)+".")
		return
	}
	p.Price = price
	saved, err := s.store.SaveProduct(r.Context(), wc.Account.ID, r.PathValue("sp"), p)
	var verr *ValidationError
	if errors.As(err, &verr) {
		s.renderProduct(w, r, wc, http.StatusBadRequest, f, verr.Message)
		return
	}
	if !s.formError(w, r, err) {
		http.Redirect(w, r, catalogueBase(r.PathValue("sp"))+"?ok=prodotto&q="+url.QueryEscape(saved.Code), http.StatusSeeOther)
	}
}

func (s *server) setProductActive(w http.ResponseWriter, r *http.Request, wc *web) {
	active := r.PostForm.Get("attivo") == "si"
	err := s.store.SetProductActive(r.Context(), wc.Account.ID, r.PathValue("sp"), r.PathValue("id"), active)
	if s.formError(w, r, err) {
		return
	}
	back := url.Values{"ok": {"disattivato"}}
	if active {
		back.Set("ok", "riattivato")
	}
	if q := r.PostForm.Get("q"); q != "" {
		back.Set("q", q)
	}
	if p := r.PostForm.Get("pagina"); p != "" {
		back.Set("pagina", p)
	}
	http.Redirect(w, r, catalogueBase(r.PathValue("sp"))+"?"+back.Encode(), http.StatusSeeOther)
}
