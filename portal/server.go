package portal

import (
	"embed"
	"encoding/json"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"till/money"
)

//go:embed templates/*.html static/*
var webFiles embed.FS

// server holds what the handlers share; it has no per-request state.
type server struct {
	store *Store
	pages map[string]*template.Template
	log   *slog.Logger
}

// NewServer returns the portal's HTTP handler: the till sync API under /api/v1/ and the back
// office pages. It serves plain HTTP; put TLS in front of it (or use http.ServeTLS) in production.
func NewServer(store *Store) http.Handler {
	s := &server{store: store, pages: parsePages(), log: slog.Default()}
	mux := http.NewServeMux()

	mux.HandleFunc("POST /api/v1/activate", s.apiActivate)
	mux.HandleFunc("GET /api/v1/config", s.tillAPI(s.apiConfig))
	mux.HandleFunc("POST /api/v1/devices", s.tillAPI(s.apiDevices))
	mux.HandleFunc("POST /api/v1/sales", s.tillAPI(s.apiSales))
	mux.HandleFunc("GET /api/v1/status", s.tillAPI(s.apiStatus))
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		apiError(w, http.StatusNotFound, "not_found", "no such API call: "+r.Method+" "+r.URL.Path)
	})

	static, _ := fs.Sub(webFiles, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST /logout", s.page(s.logout))
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

func parsePages() map[string]*template.Template {
	funcs := template.FuncMap{
		"euro": func(c int64) string { return money.Cents(c).String() },
		"when": func(t time.Time) string {
			if t.IsZero() {
				return "mai"
			}
			return t.In(italy).Format("02/01/2006 15:04")
		},
		"method":  methodName,
		"pathseg": url.PathEscape,
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
	for _, name := range []string{"login", "account", "code", "sales", "coverflex", "error"} {
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
