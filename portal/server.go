package portal

import (
	"embed"
	"encoding/json"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"till/money"
)

//go:embed templates/*.html static/*
var webFiles embed.FS

// server holds what the handlers share; it has no per-request state.
type server struct {
	store    *Store
	pages    map[string]*template.Template
	log      *slog.Logger
	now      func() time.Time
	proxies  []netip.Prefix // reverse proxies whose X-Forwarded-* headers are believed
	throttle *loginThrottle

	catalogues catalogueCache // packed catalogue documents (api_catalogue.go)
}

// Option changes how NewServer serves.
type Option func(*server)

// TrustedProxies names the TLS-terminating reverse proxies in front of the portal. A request
// whose connection comes from one of them is taken to have come over HTTPS (session cookies
// get Secure) unless the proxy says X-Forwarded-Proto: http, and its client address, which
// login throttling counts, is the rightmost X-Forwarded-For entry that is not itself a trusted
// proxy. From any other connection those headers are ignored: anyone can write them.
func TrustedProxies(prefixes ...netip.Prefix) Option {
	return func(s *server) { s.proxies = append(s.proxies, prefixes...) }
}

// NewServer returns the portal's HTTP handler: the till sync API under /api/v1/ and the back
// office pages. It serves plain HTTP; put TLS in front of it (or use http.ServeTLS) in production.
func NewServer(store *Store, opts ...Option) http.Handler {
	s := &server{store: store, pages: parsePages(), log: slog.Default(), now: time.Now}
	for _, o := range opts {
		o(s)
	}
	s.throttle = newLoginThrottle(s.now)
	mux := http.NewServeMux()

	mux.HandleFunc("POST /api/v1/activate", s.apiActivate)
	mux.HandleFunc("GET /api/v1/config", s.tillAPI(s.apiConfig))
	mux.HandleFunc("GET /api/v1/catalogue", s.tillAPI(s.apiCatalogue))
	mux.HandleFunc("POST /api/v1/devices", s.tillAPI(s.apiDevices))
	mux.HandleFunc("POST /api/v1/sales", s.tillAPI(s.apiSales))
	mux.HandleFunc("GET /api/v1/status", s.tillAPI(s.apiStatus))
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		apiError(w, http.StatusNotFound, "not_found", "no such API call: "+r.Method+" "+r.URL.Path)
	})

	static, _ := fs.Sub(webFiles, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(filesOnly{static})))
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST /logout", s.page(s.logout))
	mux.HandleFunc("POST /esci-ovunque", s.page(s.logoutEverywhere))
	mux.HandleFunc("GET /account", s.page(s.accountPage))
	mux.HandleFunc("POST /punti-vendita", s.page(s.createSalesPoint))
	mux.HandleFunc("POST /punti-vendita/{sp}/casse", s.page(s.createTill))
	mux.HandleFunc("POST /casse/{till}/codice-attivazione", s.page(s.activationCode))
	mux.HandleFunc("POST /casse/{till}/revoca", s.page(s.revokeTill))
	mux.HandleFunc("GET /vendite", s.page(s.salesPage))
	mux.HandleFunc("GET /vendite/{sale}", s.page(s.saleJSON))
	mux.HandleFunc("GET "+coverflexPath, s.page(s.coverflexPage))
	mux.HandleFunc("POST "+coverflexPath, s.page(s.coverflexEnable))
	mux.HandleFunc("POST "+coverflexPath+"/punti-vendita/{sp}/visibile", s.page(s.coverflexVisible))
	mux.HandleFunc("POST "+coverflexPath+"/punti-vendita/{sp}/sistema-di-pagamento", s.page(s.coverflexMerchant))
	mux.HandleFunc("POST "+coverflexPath+"/punti-vendita/{sp}/dispositivi/{dev}", s.page(s.coverflexDevice))
	s.routeCatalogue(mux)
	return securityHeaders(mux)
}

// securityHeaders keeps the pages out of frames (clickjacking) and lets them run only the
// portal's own script and style, so an injected tag cannot run.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// clientAddr is the address a request comes from: the connection's, or, when the connection
// is a trusted proxy's, the last address in X-Forwarded-For that is not a trusted proxy.
func (s *server) clientAddr(r *http.Request) netip.Addr {
	peer := remoteAddr(r)
	if !s.trusted(peer) {
		return peer
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHop(hops[i])
		if !ok {
			break // garbage: stop believing the list here
		}
		if !s.trusted(a) {
			return a
		}
		peer = a
	}
	return peer
}

// viaTLS reports whether the browser reached the portal over HTTPS, directly or through a
// trusted proxy; session cookies are then Secure.
func (s *server) viaTLS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	return s.trusted(remoteAddr(r)) && !strings.EqualFold(strings.TrimSpace(r.Header.Get("X-Forwarded-Proto")), "http")
}

func (s *server) trusted(a netip.Addr) bool {
	for _, p := range s.proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func remoteAddr(r *http.Request) netip.Addr {
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return ap.Addr().Unmap()
	}
	a, _ := netip.ParseAddr(r.RemoteAddr)
	return a.Unmap()
}

// parseHop reads one X-Forwarded-For entry: an address, possibly with a port.
func parseHop(h string) (netip.Addr, bool) {
	h = strings.TrimSpace(h)
	if a, err := netip.ParseAddr(h); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(h); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

// filesOnly serves the files of a folder and answers 404 for the folders themselves, so
// /static/ lists nothing.
type filesOnly struct{ fs.FS }

func (f filesOnly) Open(name string) (fs.File, error) {
	file, err := f.FS.Open(name)
	if err != nil {
		return nil, err
	}
	if st, err := file.Stat(); err != nil || st.IsDir() {
		file.Close()
		return nil, fs.ErrNotExist
	}
	return file, nil
}

func parsePages() map[string]*template.Template {
	funcs := template.FuncMap{
		"euro": func(c int64) string { return money.Cents(c).String() },
		"when": func(t time.Time) string {
			if t.IsZero() {
				return "mai"
			}
			return t.In(italy).Format("02/01/2006 15:04")
		},
		"method":   methodName,
		"price":    func(c money.Cents) string { return c.String() },
		"rate":     func(r money.Rate) string { return r.String() },
		"ratetext": rateText,
		"add":      func(a, b int) int { return a + b },
		"pathseg":  url.PathEscape,
		"has": func(list []string, id string) bool {
			for _, v := range list {
				if v == id {
					return true
				}
			}
			return false
		},
	}
	pages := map[string]*template.Template{}
	for _, name := range []string{"login", "account", "code", "sales", "coverflex", "error",
		"catalogues", "catalogue", "product", "departments", "import"} {
		pages[name] = template.Must(template.New("layout.html").Funcs(funcs).
			ParseFS(webFiles, "templates/layout.html", "templates/"+name+".html"))
	}
	return pages
}

// methodName is the Italian label of a payment method in the reports.
func methodName(m string) string {
	switch m {
	case "cash":
		return "Contanti"
	case "card":
		return "Carta"
	case "coverflex":
		return "Coverflex"
	}
	return m
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// apiError writes the error shape of sync.md: {"error": "code", "message": "human text"}.
func apiError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string]string{"error": code, "message": message})
}
