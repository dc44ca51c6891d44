package portal

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	sessionCookie    = "portal_session"
	loginCSRFCookie  = "portal_login_csrf"
	maxFormBody      = 64 << 10
	salesDaysShown   = 31
	salesOfDayShown  = 1000
	csrfField        = "csrf"
	forbiddenMessage = "Richiesta non valida: il modulo è scaduto o non viene da questo portale. Ricarica la pagina e riprova."

	invalidTextMessage = "Testo non valido: usa solo caratteri normali (niente caratteri di controllo o codifiche errate)."
)

// validText reports whether s is text the database can hold on both stores: valid UTF-8
// (PostgreSQL refuses anything else) and no NUL (PostgreSQL's text cannot hold it).
func validText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// validForm applies validText to every name and value of a form, so no handler ever passes
// such bytes to the store.
func validForm(form url.Values) bool {
	for k, vs := range form {
		if !validText(k) {
			return false
		}
		for _, v := range vs {
			if !validText(v) {
				return false
			}
		}
	}
	return true
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

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
	"salvato":     "Configurazione salvata.",
	"passaggio1":  "Configurazione salvata.",
	"passaggio2":  "Configurazione salvata.",
	"passaggio3":  "Merchant ID salvato.",
	"passaggio4":  "Dispositivo di pagamento salvato.",
	"revocata":    "Token revocato: la cassa non potrà sincronizzarsi finché non sarà riattivata con un nuovo codice.",
	"creato":      "Creato.",
	"prodotto":    "Prodotto salvato: le casse lo ricevono alla prossima sincronizzazione.",
	"disattivato": "Prodotto disattivato: le casse non lo vendono più dalla prossima sincronizzazione.",
	"riattivato":  "Prodotto riattivato.",
	"reparto":     "Reparto salvato.",
	"categoria":   "Categoria salvata.",
	"eliminato":   "Eliminato.",
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
	return s.signedIn(maxFormBody, h)
}

// upload is page for a form that sends a file (multipart/form-data, at most limit bytes); the
// CSRF token is a field of that form.
func (s *server) upload(limit int64, h func(http.ResponseWriter, *http.Request, *web)) http.HandlerFunc {
	return s.signedIn(limit, h)
}

func (s *server) signedIn(limit int64, h func(http.ResponseWriter, *http.Request, *web)) http.HandlerFunc {
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
		if !validText(r.URL.Path) {
			s.notFound(w) // no id of ours looks like that; the database must not see it
			return
		}
		if r.Method == http.MethodPost && !s.readForm(w, r, limit, sess) {
			return
		}
		h(w, r, &web{Account: acc, Session: sess, secret: c.Value})
	}
}

// readForm reads a POST's form (a file form too, when limit is over maxFormBody), checks its
// CSRF token and its text, and answers the refusal itself.
func (s *server) readForm(w http.ResponseWriter, r *http.Request, limit int64, sess Session) bool {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	var err error
	if limit > maxFormBody && strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		// Files are kept in memory up to the limit: they are read whole anyway.
		if err = r.ParseMultipartForm(limit); err == nil {
			r.PostForm = url.Values(r.MultipartForm.Value)
		}
	} else {
		err = r.ParseForm()
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig) && limit > maxFormBody:
		s.errorPage(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("File troppo grande: al massimo %d MB.", limit>>20))
		return false
	case err != nil:
		s.errorPage(w, http.StatusBadRequest, "Modulo non valido o troppo grande.")
		return false
	}
	if subtle.ConstantTimeCompare([]byte(r.PostForm.Get(csrfField)), []byte(sess.CSRF)) != 1 {
		s.errorPage(w, http.StatusForbidden, forbiddenMessage)
		return false
	}
	if !validForm(r.PostForm) {
		s.errorPage(w, http.StatusBadRequest, invalidTextMessage)
		return false
	}
	return true
}

func (s *server) home(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}

// setCookie sets a cookie only the portal's own pages read; Secure whenever the browser came
// over HTTPS, directly or through a trusted proxy.
func (s *server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.viaTLS(r)})
}

// loginPage sets a fresh token in a cookie and in the form: the login POST must show both
// (double submit), so another site cannot sign the browser into an account of its choosing.
func (s *server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.showLogin(w, r, http.StatusOK, "")
}

func (s *server) showLogin(w http.ResponseWriter, r *http.Request, status int, msg string) {
	token := randomToken(16)
	s.setCookie(w, r, loginCSRFCookie, token, 3600)
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
	email, addr := r.PostForm.Get("email"), s.clientAddr(r)
	if !validText(email) || !validText(r.PostForm.Get("password")) {
		s.showLogin(w, r, http.StatusBadRequest, invalidTextMessage)
		return
	}
	// The throttle decides before the password is hashed: a refused attempt costs nothing.
	if wait := s.throttle.begin(addr, email); wait > 0 {
		secs := int((wait + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		s.showLogin(w, r, http.StatusTooManyRequests, fmt.Sprintf("Troppi tentativi: riprova tra %d secondi.", secs))
		return
	}
	acc, err := s.store.Authenticate(r.Context(), email, r.PostForm.Get("password"))
	if errors.Is(err, ErrBadLogin) {
		s.log.Info("login failed", "client", addr, "email", truncate(email, 100))
		s.showLogin(w, r, http.StatusUnauthorized, "E-mail o password errate.")
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.throttle.succeeded(addr, email)
	s.log.Info("login", "client", addr, "account", acc.ID)
	secret, err := s.store.NewSession(r.Context(), acc.ID)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.setCookie(w, r, loginCSRFCookie, "", -1)
	s.setCookie(w, r, sessionCookie, secret, int(sessionLifetime/time.Second))
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}

func (s *server) logout(w http.ResponseWriter, r *http.Request, wc *web) {
	if err := s.store.EndSession(r.Context(), wc.secret); err != nil {
		s.internal(w, r, err)
		return
	}
	s.setCookie(w, r, sessionCookie, "", -1)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// logoutEverywhere ends every session of the account, this one included: the owner's way out
// after signing in on a shared computer or losing a phone.
func (s *server) logoutEverywhere(w http.ResponseWriter, r *http.Request, wc *web) {
	n, err := s.store.EndAccountSessions(r.Context(), wc.Account.ID)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.log.Info("signed out everywhere", "client", s.clientAddr(r), "account", wc.Account.ID, "sessions", n)
	s.setCookie(w, r, sessionCookie, "", -1)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
