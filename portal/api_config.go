package portal

import (
	"context"
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

// apiConfig answers GET /api/v1/config. A till holding the current version (the common case:
// every till polls every few minutes) gets 304 after one more read, of the versions, without
// the document being built and without a write; the version a till holds is written only when
// it is not the one recorded. What the portal knows of a till that only pulls 304s is said at
// TouchTill, which tillAPI runs before this.
func (s *server) apiConfig(w http.ResponseWriter, r *http.Request, till TillIdentity) {
	ctx := r.Context()
	current, held, err := s.store.configVersion(ctx, till)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	inm := r.Header.Get("If-None-Match")
	if etag := configETag(current); inm != "" && etagMatches(inm, etag) {
		if err := s.noteHeld(ctx, till, held, current); err != nil {
			s.internal(w, r, err)
			return
		}
		w.Header().Set("ETag", etag)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	doc, err := s.store.ConfigFor(ctx, till)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	// Both answers mean the till now holds this version.
	if err := s.noteHeld(ctx, till, held, doc.Version); err != nil {
		s.internal(w, r, err)
		return
	}
	etag := configETag(doc.Version)
	w.Header().Set("ETag", etag)
	if inm != "" && etagMatches(inm, etag) { // the version moved between the two reads
		w.WriteHeader(http.StatusNotModified)
		return
	}
	writeJSON(w, http.StatusOK, doc)
}

// noteHeld records the version the till holds after this answer, when it is not the recorded
// one; a till that cancels its request still got the answer's version, hence WithoutCancel.
func (s *server) noteHeld(ctx context.Context, till TillIdentity, recorded, version int64) error {
	if version == recorded {
		return nil
	}
	return s.store.noteConfigHeld(context.WithoutCancel(ctx), till.TillID, version)
}
