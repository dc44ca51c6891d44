package portal

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"till/app/checkout"
	"till/money"
)

// setupView is the page of a sales point's departments and categories. Failed holds what was
// typed in the form that was refused (FailedID "" for the "add" form), so nothing is lost.
type setupView struct {
	Info        CatalogueInfo
	Base        string
	Departments []DepartmentRow
	Categories  []CategoryRow
	Natures     []string
	FailedForm  string // "reparto" or "categoria"
	FailedID    string
	Failed      map[string]string
}

// Value is what a field of a form shows: what was typed if that form was refused, else stored.
func (v setupView) Value(form, id, field, stored string) string {
	if v.FailedForm == form && v.FailedID == id {
		return v.Failed[field]
	}
	return stored
}

// NatureOptions are the Natura choices of a department form, with the stored one when it is
// a sub-code (N2.2…) the list does not show.
func (v setupView) NatureOptions(current string) []string {
	if current == "" || slices.Contains(v.Natures, current) {
		return v.Natures
	}
	return append(slices.Clone(v.Natures), current)
}

// rateText writes a VAT rate as the form takes it: "22", "5,5".
func rateText(r money.Rate) string {
	return strings.TrimSuffix(strings.TrimRight(money.Cents(r).Decimal(), "0"), ",")
}

func (s *server) departmentsPage(w http.ResponseWriter, r *http.Request, wc *web) {
	s.renderSetup(w, r, wc, http.StatusOK, setupView{}, "")
}

func (s *server) renderSetup(w http.ResponseWriter, r *http.Request, wc *web, status int, v setupView, msg string) {
	info, ok := s.catalogueInfo(w, r, wc)
	if !ok {
		return
	}
	v.Info, v.Base, v.Natures = info, catalogueBase(info.ID), natures
	var err error
	if v.Departments, err = s.store.CatalogueDepartments(r.Context(), wc.Account.ID, info.ID); err != nil {
		s.internal(w, r, err)
		return
	}
	if v.Categories, err = s.store.CatalogueCategories(r.Context(), wc.Account.ID, info.ID); err != nil {
		s.internal(w, r, err)
		return
	}
	d := wc.data("Reparti e categorie · "+info.Name, r, v)
	d.Error = msg
	s.render(w, status, "departments", d)
}

// setupRefused re-renders the page with a refused form's values, or answers another error.
func (s *server) setupRefused(w http.ResponseWriter, r *http.Request, wc *web, form string, fields []string, err error) {
	var verr *ValidationError
	if !errors.As(err, &verr) {
		s.formError(w, r, err)
		return
	}
	v := setupView{FailedForm: form, FailedID: r.PathValue("id"), Failed: map[string]string{}}
	for _, f := range fields {
		v.Failed[f] = r.PostForm.Get(f)
	}
	s.renderSetup(w, r, wc, http.StatusBadRequest, v, verr.Message)
}

func (s *server) savedSetup(w http.ResponseWriter, r *http.Request, flash, anchor string) {
	http.Redirect(w, r, catalogueBase(r.PathValue("sp"))+"/reparti?ok="+flash+"#"+anchor, http.StatusSeeOther)
}

var departmentFields = []string{"number", "name", "vat_rate", "nature"}

func (s *server) saveDepartment(w http.ResponseWriter, r *http.Request, wc *web) {
	d := checkout.Department{ID: r.PathValue("id"), Name: r.PostForm.Get("name"), Nature: r.PostForm.Get("nature")}
	var err error
	number, nerr := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("number")))
	rate, rerr := money.Parse(strings.TrimSuffix(strings.TrimSpace(r.PostForm.Get("vat_rate")), "%"))
	switch {
	case nerr != nil || number <= 0:
		err = &ValidationError{"number", "Il numero del reparto è un intero da 1 in su: quello del reparto sulla stampante fiscale."}
	case rerr != nil:
		err = &ValidationError{"vat_rate", "Aliquota IVA non valida: scrivi ad esempio 22, 10, 5,5 oppure 0 con una Natura."}
	default:
		d.Number, d.VATRate = number, money.Rate(rate)
		_, err = s.store.SaveDepartment(r.Context(), wc.Account.ID, r.PathValue("sp"), d)
	}
	if err != nil {
		s.setupRefused(w, r, wc, "reparto", departmentFields, err)
		return
	}
	s.savedSetup(w, r, "reparto", "reparti")
}

func (s *server) deleteDepartment(w http.ResponseWriter, r *http.Request, wc *web) {
	err := s.store.DeleteDepartment(r.Context(), wc.Account.ID, r.PathValue("sp"), r.PathValue("id"))
	var verr *ValidationError
	if errors.As(err, &verr) {
		s.renderSetup(w, r, wc, http.StatusBadRequest, setupView{}, verr.Message)
		return
	}
	if !s.formError(w, r, err) {
		s.savedSetup(w, r, "eliminato", "reparti")
	}
}

var categoryFields = []string{"name", "position"}

func (s *server) saveCategory(w http.ResponseWriter, r *http.Request, wc *web) {
	c := checkout.Category{ID: r.PathValue("id"), Name: r.PostForm.Get("name")}
	var err error
	if pos := strings.TrimSpace(r.PostForm.Get("position")); pos != "" {
		if c.Position, err = strconv.Atoi(pos); err != nil {
			err = &ValidationError{"position", "La posizione è un numero intero (0 per prima)."}
		}
	}
	if err == nil {
		_, err = s.store.SaveCategory(r.Context(), wc.Account.ID, r.PathValue("sp"), c)
	}
	if err != nil {
		s.setupRefused(w, r, wc, "categoria", categoryFields, err)
		return
	}
	s.savedSetup(w, r, "categoria", "categorie")
}

func (s *server) deleteCategory(w http.ResponseWriter, r *http.Request, wc *web) {
	err := s.store.DeleteCategory(r.Context(), wc.Account.ID, r.PathValue("sp"), r.PathValue("id"))
	if !s.formError(w, r, err) {
		s.savedSetup(w, r, "eliminato", "categorie")
	}
}
