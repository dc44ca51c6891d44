package portal

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"till/app/tillsync/cataloguedoc"
)

// apiCatalogue answers GET /api/v1/catalogue, the sales point's catalogue with its own ETag
// (sync.md). As for the configuration, a till holding the current version gets 304 after one
// read and no write. A catalogue of 50,000 products is some megabytes of JSON, so the answer is
// gzipped for a till that accepts it (Go's HTTP client asks for gzip and unpacks by itself),
// and the packed document of the latest versions is kept in memory: after a change, every till
// of the sales point pulls the same bytes, built once.
func (s *server) apiCatalogue(w http.ResponseWriter, r *http.Request, till TillIdentity) {
	ctx := r.Context()
	current, held, err := s.store.catalogueVersion(ctx, till)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	inm := r.Header.Get("If-None-Match")
	if etag := cataloguedoc.ETag(till.SalesPointID, current); current > 0 && inm != "" && etagMatches(inm, etag) {
		if err := s.noteCatalogueHeld(ctx, till, held, current); err != nil {
			s.internal(w, r, err)
			return
		}
		w.Header().Set("ETag", etag)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	packed, version, err := s.packedCatalogue(ctx, till.SalesPointID, current)
	if errors.Is(err, ErrNoCatalogue) {
		apiError(w, http.StatusNotFound, "no_catalogue", "this sales point has no catalogue in the back office: the till keeps its own")
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if err := s.noteCatalogueHeld(ctx, till, held, version); err != nil {
		s.internal(w, r, err)
		return
	}
	etag := cataloguedoc.ETag(till.SalesPointID, version)
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Vary", "Accept-Encoding")
	if inm != "" && etagMatches(inm, etag) { // the version moved back to the one held between the reads
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	if acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		h.Set("Content-Length", strconv.Itoa(len(packed)))
		w.WriteHeader(http.StatusOK)
		w.Write(packed)
		return
	}
	zr, err := gzip.NewReader(bytes.NewReader(packed))
	if err != nil {
		s.internal(w, r, err)
		return
	}
	w.WriteHeader(http.StatusOK)
	io.Copy(w, zr)
}

// noteCatalogueHeld records the version a till holds after this answer, when it is new.
func (s *server) noteCatalogueHeld(ctx context.Context, till TillIdentity, recorded, version int64) error {
	if version == recorded {
		return nil
	}
	return s.store.noteCatalogueHeld(context.WithoutCancel(ctx), till.TillID, version)
}

// acceptsGzip tells whether the request accepts a gzipped answer (q=0 refuses it).
func acceptsGzip(r *http.Request) bool {
	for _, v := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(v), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// packedCatalogue returns the gzipped document of a sales point and its version, from the
// cache when it holds the version just read (current), else built and cached.
func (s *server) packedCatalogue(ctx context.Context, salesPointID string, current int64) ([]byte, int64, error) {
	if packed, ok := s.catalogues.get(salesPointID, current); ok {
		return packed, current, nil
	}
	// One build per sales point at a time: the tills that ask meanwhile wait for its bytes.
	defer s.catalogues.building(salesPointID)()
	if packed, ok := s.catalogues.get(salesPointID, current); ok {
		return packed, current, nil
	}
	doc, err := s.store.CatalogueFor(ctx, salesPointID)
	if err != nil {
		return nil, 0, err
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed) // the level is a constant: no error
	if err := json.NewEncoder(zw).Encode(doc); err != nil {
		return nil, 0, err
	}
	if err := zw.Close(); err != nil {
		return nil, 0, err
	}
	s.catalogues.put(salesPointID, doc.Version, buf.Bytes())
	return buf.Bytes(), doc.Version, nil
}

// catalogueCacheSize bounds the packed documents kept: one per sales point, at most this many
// sales points (a 50,000-product catalogue packs to about a megabyte).
const catalogueCacheSize = 16

// catalogueCache keeps the latest packed document of the sales points pulled most recently.
// A document is keyed by its version, which every change bumps: a hit is always current.
type catalogueCache struct {
	mu      sync.Mutex
	entries map[string]packedDoc
	tick    uint64
	builds  map[string]*sync.Mutex // per sales point, held while its document is built
}

// building waits until no other request builds the sales point's document, and returns the
// function that lets the next one in.
func (c *catalogueCache) building(salesPointID string) (done func()) {
	c.mu.Lock()
	if c.builds == nil {
		c.builds = map[string]*sync.Mutex{}
	}
	m := c.builds[salesPointID]
	if m == nil {
		m = new(sync.Mutex)
		c.builds[salesPointID] = m
	}
	c.mu.Unlock()
	m.Lock()
	return m.Unlock
}

type packedDoc struct {
	version int64
	packed  []byte
	used    uint64
}

func (c *catalogueCache) get(salesPointID string, version int64) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[salesPointID]
	if !ok || e.version != version {
		return nil, false
	}
	c.tick++
	e.used = c.tick
	c.entries[salesPointID] = e
	return e.packed, true
}

func (c *catalogueCache) put(salesPointID string, version int64, packed []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]packedDoc{}
	}
	if _, ok := c.entries[salesPointID]; !ok && len(c.entries) >= catalogueCacheSize {
		oldest := ""
		for id, e := range c.entries {
			if oldest == "" || e.used < c.entries[oldest].used {
				oldest = id
			}
		}
		delete(c.entries, oldest)
	}
	c.tick++
	c.entries[salesPointID] = packedDoc{version: version, packed: packed, used: c.tick}
}
