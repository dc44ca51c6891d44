package portal

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Body limits: a batch of 500 sales with invoice XML stays well under maxSalesBody.
const (
	maxSmallBody = 64 << 10
	maxSalesBody = 32 << 20
	maxDevices   = 100
)

// PendingHeader is how a till may tell, on any API call, how many sales wait on it to sync;
// the account page shows it.
const PendingHeader = "X-Till-Pending"

// tillAPI authenticates a till by its Bearer token. Missing, unknown and revoked tokens all get
// the same 401, which reveals nothing about other tills.
func (s *server) tillAPI(h func(http.ResponseWriter, *http.Request, TillIdentity)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		token = strings.TrimSpace(token)
		if !ok || token == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="till"`)
			apiError(w, http.StatusUnauthorized, "unauthorized", "missing device token: activate the till first")
			return
		}
		till, err := s.store.TillByToken(r.Context(), token)
		if errors.Is(err, ErrNotFound) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="till", error="invalid_token"`)
			apiError(w, http.StatusUnauthorized, "unauthorized", "unknown or revoked device token: activate the till again with a new code")
			return
		}
		if err != nil {
			s.internal(w, r, err)
			return
		}
		pending := int64(-1)
		if v, err := strconv.ParseInt(r.Header.Get(PendingHeader), 10, 64); err == nil && v >= 0 {
			pending = v
		}
		if err := s.store.TouchTill(r.Context(), till.TillID, pending, -1); err != nil {
			s.internal(w, r, err)
			return
		}
		h(w, r, till)
	}
}

func (s *server) internal(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("portal request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	if strings.HasPrefix(r.URL.Path, "/api/") {
		apiError(w, http.StatusInternalServerError, "internal", "the portal could not complete the request; retry later")
		return
	}
	http.Error(w, "Errore interno del portale: riprova più tardi.", http.StatusInternalServerError)
}

// decodeJSON reads a JSON body of at most limit bytes into v, answering the error itself.
func decodeJSON(w http.ResponseWriter, r *http.Request, limit int64, v any) bool {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			apiError(w, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("request body over %d bytes", limit))
			return false
		}
		apiError(w, http.StatusBadRequest, "bad_request", "malformed JSON body: "+err.Error())
		return false
	}
	return true
}

func (s *server) apiActivate(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Code string `json:"code"`
	}
	if !decodeJSON(w, r, maxSmallBody, &req) {
		return
	}
	if normalizeCode(req.Code) == "" {
		apiError(w, http.StatusBadRequest, "bad_request", `"code" is required: the activation code shown in the portal`)
		return
	}
	a, err := s.store.Activate(r.Context(), req.Code)
	switch {
	case errors.Is(err, ErrNotFound):
		apiError(w, http.StatusNotFound, "unknown_code", "no such activation code: generate one in the portal for this till")
	case errors.Is(err, ErrCodeSpent):
		apiError(w, http.StatusConflict, "code_used", "this activation code was already used: generate a new one in the portal")
	case err != nil:
		s.internal(w, r, err)
	default:
		writeJSON(w, http.StatusOK, a)
	}
}

func (s *server) apiStatus(w http.ResponseWriter, r *http.Request, till TillIdentity) {
	st, err := s.store.Status(r.Context(), till)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}
