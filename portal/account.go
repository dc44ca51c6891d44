package portal

import (
	"errors"
	"net/http"
	"time"
)

// salesPointView is a sales point with its tills, as the account page lists them.
type salesPointView struct {
	SalesPoint
	Tills []Till
}

func (s *server) salesPointViews(r *http.Request, accountID string) ([]salesPointView, error) {
	sps, err := s.store.SalesPoints(r.Context(), accountID)
	if err != nil {
		return nil, err
	}
	out := make([]salesPointView, 0, len(sps))
	for _, sp := range sps {
		tills, err := s.store.Tills(r.Context(), sp.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, salesPointView{SalesPoint: sp, Tills: tills})
	}
	return out, nil
}

func (s *server) accountPage(w http.ResponseWriter, r *http.Request, wc *web) {
	views, err := s.salesPointViews(r, wc.Account.ID)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.render(w, http.StatusOK, "account", wc.data("Account", r, map[string]any{"SalesPoints": views}))
}

// formError answers a rejected form: a validation message in the page, 404 for what is not
// the account's, 500 otherwise. It reports whether there was an error.
func (s *server) formError(w http.ResponseWriter, r *http.Request, err error) bool {
	var verr *ValidationError
	switch {
	case err == nil:
		return false
	case errors.As(err, &verr):
		s.errorPage(w, http.StatusBadRequest, verr.Message)
	case errors.Is(err, ErrNotFound):
		s.notFound(w)
	default:
		s.internal(w, r, err)
	}
	return true
}

// nameControlMessage refuses a name with control characters (a tab, a line break, NUL…): the
// tills print these names and the pages show them.
const nameControlMessage = "Il nome non può contenere caratteri di controllo (tabulazioni, a capo…)."

func (s *server) createSalesPoint(w http.ResponseWriter, r *http.Request, wc *web) {
	name := r.PostForm.Get("name")
	if !validName(name, maxFormBody) {
		s.errorPage(w, http.StatusBadRequest, nameControlMessage)
		return
	}
	_, err := s.store.CreateSalesPoint(r.Context(), wc.Account.ID, name)
	if !s.formError(w, r, err) {
		http.Redirect(w, r, "/account?ok=creato", http.StatusSeeOther)
	}
}

func (s *server) createTill(w http.ResponseWriter, r *http.Request, wc *web) {
	name := r.PostForm.Get("name")
	if !validName(name, maxFormBody) {
		s.errorPage(w, http.StatusBadRequest, nameControlMessage)
		return
	}
	_, err := s.store.CreateTill(r.Context(), wc.Account.ID, r.PathValue("sp"), name)
	if !s.formError(w, r, err) {
		http.Redirect(w, r, "/account?ok=creato", http.StatusSeeOther)
	}
}

// activationCode shows the new code once, in the answer to the POST: only its hash is kept.
func (s *server) activationCode(w http.ResponseWriter, r *http.Request, wc *web) {
	till, err := s.store.Till(r.Context(), wc.Account.ID, r.PathValue("till"))
	if s.formError(w, r, err) {
		return
	}
	code, err := s.store.NewActivationCode(r.Context(), wc.Account.ID, till.ID)
	if s.formError(w, r, err) {
		return
	}
	s.render(w, http.StatusOK, "code", wc.data("Codice di attivazione", r, map[string]any{"Till": till, "Code": code}))
}

func (s *server) revokeTill(w http.ResponseWriter, r *http.Request, wc *web) {
	err := s.store.RevokeTill(r.Context(), wc.Account.ID, r.PathValue("till"))
	if !s.formError(w, r, err) {
		http.Redirect(w, r, "/account?ok=revocata", http.StatusSeeOther)
	}
}

// methodColumns are the payment methods with their own column in the sales report.
var methodColumns = []string{"cash", "card", "coverflex"}

func (s *server) salesPage(w http.ResponseWriter, r *http.Request, wc *web) {
	days, err := s.store.DaySummaries(r.Context(), wc.Account.ID, salesDaysShown)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	body := map[string]any{"Days": days, "Methods": methodColumns}
	if day := r.URL.Query().Get("giorno"); day != "" {
		if _, err := time.Parse(time.DateOnly, day); err != nil {
			s.errorPage(w, http.StatusBadRequest, "Giorno non valido: usa il formato AAAA-MM-GG.")
			return
		}
		sales, err := s.store.SalesOfDay(r.Context(), wc.Account.ID, day, salesOfDayShown)
		if err != nil {
			s.internal(w, r, err)
			return
		}
		body["Day"], body["Sales"] = day, sales
	}
	s.render(w, http.StatusOK, "sales", wc.data("Vendite sincronizzate", r, body))
}

// saleJSON shows one sale exactly as the till sent it.
func (s *server) saleJSON(w http.ResponseWriter, r *http.Request, wc *web) {
	body, err := s.store.SaleBody(r.Context(), wc.Account.ID, r.PathValue("sale"))
	if errors.Is(err, ErrNotFound) {
		s.notFound(w)
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(body)
}
