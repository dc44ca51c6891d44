package portal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
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
		till.Pending = -1
		if v, err := strconv.ParseInt(r.Header.Get(PendingHeader), 10, 64); err == nil && v >= 0 {
			till.Pending = v
		}
		// A push records the contact in its own transaction; other calls here, and only when
		// they tell something new.
		if r.URL.Path != "/api/v1/sales" {
			if err := s.store.TouchTill(r.Context(), till.TillID, till.Pending, -1); err != nil {
				s.internal(w, r, err)
				return
			}
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

// decodeJSON reads a JSON body of at most limit bytes into v, answering the error itself. The
// body must be valid UTF-8 without NUL in any string: encoding/json would quietly turn bad
// bytes into U+FFFD, and PostgreSQL cannot store NUL, so either is refused here, for every
// call, as 400 bad_request.
func decodeJSON(w http.ResponseWriter, r *http.Request, limit int64, v any) bool {
	body, ok := readBody(w, r, limit)
	if !ok {
		return false
	}
	if !utf8.Valid(body) {
		apiError(w, http.StatusBadRequest, "bad_request", "the request body must be valid UTF-8")
		return false
	}
	if hasNUL(body) {
		apiError(w, http.StatusBadRequest, "bad_request", "text in the request must not contain NUL characters (\\u0000)")
		return false
	}
	return unmarshalBody(w, body, v)
}

// readBody reads a request body of at most limit bytes, answering 413 itself when it is over.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		apiError(w, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("request body over %d bytes", limit))
		return nil, false
	case err != nil:
		apiError(w, http.StatusBadRequest, "bad_request", "could not read the request body: "+err.Error())
		return nil, false
	}
	return body, true
}

func unmarshalBody(w http.ResponseWriter, body []byte, v any) bool {
	if err := json.Unmarshal(body, v); err != nil {
		apiError(w, http.StatusBadRequest, "bad_request", "malformed JSON body: "+err.Error())
		return false
	}
	return true
}

// hasNUL reports whether a JSON text holds a NUL in a string or key. A raw NUL byte is not
// valid JSON, so only the escape \u0000 can make one; the exact walk runs only when it appears.
func hasNUL(doc []byte) bool {
	if !bytes.Contains(doc, []byte(`\u0000`)) {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := dec.Token()
		if err != nil {
			return false // malformed: the decoder that follows says so
		}
		if s, ok := tok.(string); ok && strings.ContainsRune(s, 0) {
			return true
		}
	}
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
