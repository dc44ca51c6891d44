package portal

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// etagMatches implements If-None-Match for our strong ETags, including lists and "*".
func etagMatches(header, etag string) bool {
	for _, v := range strings.Split(header, ",") {
		v = strings.TrimPrefix(strings.TrimSpace(v), "W/")
		if v == etag || v == "*" {
			return true
		}
	}
	return false
}

func (s *server) apiConfig(w http.ResponseWriter, r *http.Request, till TillIdentity) {
	doc, err := s.store.ConfigFor(r.Context(), till)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	etag := fmt.Sprintf(`"%d"`, doc.Version)
	w.Header().Set("ETag", etag)
	// Both answers mean the till now holds this version.
	if err := s.store.TouchTill(context.WithoutCancel(r.Context()), till.TillID, -1, doc.Version); err != nil {
		s.internal(w, r, err)
		return
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatches(inm, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	writeJSON(w, http.StatusOK, doc)
}
