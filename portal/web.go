package portal

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"time"
)

const (
	sessionCookie    = "portal_session"
	loginCSRFCookie  = "portal_login_csrf"
	maxFormBody      = 64 << 10
	salesDaysShown   = 31
	salesOfDayShown  = 1000
	csrfField        = "csrf"
	forbiddenMessage = "Richiesta non valida: il modulo è scaduto o non viene da questo portale. Ricarica la pagina e riprova."
)

// web is the signed-in owner behind a page request.
type web struct {
	Account Account
	Session Session
	secret  string
}

// pageData is what every template gets; Body is the page's own data.
type pageData struct {
	Title   string
	Account *Account
	CSRF    string
	Flash   string
	FlashID string // which save the flash confirms, so a test (or a screen reader) can tell two saves apart
	Error   string
	Body    any
}

// flashes are the only texts a redirect can ask a page to show, so a link cannot put
// arbitrary words on the portal's pages.
var flashes = map[string]string{
	"salvato":    "Configurazione salvata.",
	"passaggio1": "Configurazione salvata.",
	"passaggio2": "Configurazione salvata.",
	"passaggio3": "Merchant ID salvato.",
	"passaggio4": "Dispositivo di pagamento salvato.",
	"revocata":   "Token revocato: la cassa non potrà sincronizzarsi finché non sarà riattivata con un nuovo codice.",
	"creato":     "Creato.",
}

func (s *server) render(w http.ResponseWriter, status int, name string, d pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := s.pages[name].Execute(w, d); err != nil {
		s.log.Error("render page", "page", name, "err", err)
	}
}

func (s *server) errorPage(w http.ResponseWriter, status int, message string) {
	s.render(w, status, "error", pageData{Title: "Errore", Error: message})
}

func (s *server) notFound(w http.ResponseWriter) {
	s.errorPage(w, http.StatusNotFound, "Elemento non trovato: non esiste o non appartiene al tuo account.")
}

func (wc *web) data(title string, r *http.Request, body any) pageData {
	ok := r.URL.Query().Get("ok")
	d := pageData{Title: title, Account: &wc.Account, CSRF: wc.Session.CSRF, Flash: flashes[ok], Body: body}
	if d.Flash != "" {
		d.FlashID = ok
	}
	return d
}

// page wraps a handler that needs a signed-in owner. Every POST must carry the session's CSRF
// token, so another site cannot make the owner's browser change settings.
func (s *server) page(h func(http.ResponseWriter, *http.Request, *web)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		sess, err := s.store.Session(r.Context(), c.Value)
		if errors.Is(err, ErrNotFound) {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		if err != nil {
			s.internal(w, r, err)
			return
		}
		acc, err := s.store.Account(r.Context(), sess.AccountID)
		if err != nil {
			s.internal(w, r, err)
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
			if err := r.ParseForm(); err != nil {
				s.errorPage(w, http.StatusBadRequest, "Modulo non valido o troppo grande.")
				return
			}
			if subtle.ConstantTimeCompare([]byte(r.PostForm.Get(csrfField)), []byte(sess.CSRF)) != 1 {
				s.errorPage(w, http.StatusForbidden, forbiddenMessage)
				return
			}
		}
		h(w, r, &web{Account: acc, Session: sess, secret: c.Value})
	}
}

func (s *server) home(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}

func setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
}

// loginPage sets a fresh token in a cookie and in the form: the login POST must show both
// (double submit), so another site cannot sign the browser into an account of its choosing.
func (s *server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.showLogin(w, r, http.StatusOK, "")
}

func (s *server) showLogin(w http.ResponseWriter, r *http.Request, status int, msg string) {
	token := randomToken(16)
	setCookie(w, r, loginCSRFCookie, token, 3600)
	s.render(w, status, "login", pageData{Title: "Accedi", CSRF: token, Error: msg,
		Body: map[string]string{"Email": r.PostFormValue("email")}})
}

func (s *server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, http.StatusBadRequest, "Modulo non valido o troppo grande.")
		return
	}
	c, err := r.Cookie(loginCSRFCookie)
	if err != nil || c.Value == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostForm.Get(csrfField))) != 1 {
		s.errorPage(w, http.StatusForbidden, forbiddenMessage)
		return
	}
	acc, err := s.store.Authenticate(r.Context(), r.PostForm.Get("email"), r.PostForm.Get("password"))
	if errors.Is(err, ErrBadLogin) {
		s.showLogin(w, r, http.StatusUnauthorized, "E-mail o password errate.")
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	secret, err := s.store.NewSession(r.Context(), acc.ID)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	setCookie(w, r, loginCSRFCookie, "", -1)
	setCookie(w, r, sessionCookie, secret, int(sessionLifetime/time.Second))
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}

func (s *server) logout(w http.ResponseWriter, r *http.Request, wc *web) {
	if err := s.store.EndSession(r.Context(), wc.secret); err != nil {
		s.internal(w, r, err)
		return
	}
	setCookie(w, r, sessionCookie, "", -1)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
