package tillsync

import (
	"context"
	"errors"
	"net/http"

	"till/app/catalogue"
	"till/app/tillsync/cataloguedoc"
)

// maxCatalogue bounds what the till reads of a catalogue, unpacked: 50,000 products are about
// 7 MB of JSON. The bound is on the unpacked bytes, so a small gzip cannot blow up in memory.
const maxCatalogue = 96 << 20

// CataloguePull is the outcome of PullCatalogue.
type CataloguePull struct {
	Changed bool  // a new catalogue was applied
	Managed bool  // the catalogue is the back office's (catalogue_meta.source = portal)
	Version int64 // the back office's version the till holds; 0 when it holds none
}

// PullCatalogue asks for the catalogue of the till's sales point (GET /api/v1/catalogue) with
// the ETag of the one applied last, and applies a new one whole with
// storage.ApplyPortalCatalogue: departments by number, products by code, the products it does
// not list deactivated, and the till marked as managed by the back office, so its own
// catalogue screens stop editing. A 304 writes nothing. A 404 (the portal has no catalogue for
// the sales point, or is older than catalogues) leaves the till's own catalogue as it is. A
// document that does not pass (cataloguedoc.Parse: the till's catalogue rules) is refused
// whole: nothing changes, the till keeps selling on the catalogue it has, and the error (a
// KindServer *Error wrapping cataloguedoc.ErrInvalid) names every problem.
func (c *Client) PullCatalogue(ctx context.Context) (CataloguePull, error) {
	const op = "pull catalogue"
	st, err := c.state(ctx)
	if err != nil {
		return CataloguePull{}, err
	}
	meta, err := c.DB.CatalogueMeta(ctx)
	if err != nil {
		return CataloguePull{}, err
	}
	held := CataloguePull{Managed: meta.Source == catalogue.SourcePortal}
	etag := ""
	if held.Managed {
		// Only while the catalogue is still the one that came with the ETag: after a local edit
		// (a till no longer managed), a 304 would leave it on a catalogue the portal never sent.
		held.Version, etag = meta.Version, meta.ETag
	}
	resp, err := c.get(ctx, op, st.PortalURL+"/api/v1/catalogue", st.Token, maxCatalogue, func(r *http.Request) {
		if etag != "" {
			r.Header.Set("If-None-Match", etag)
		}
		c.setPending(ctx, r)
	})
	if err != nil {
		return CataloguePull{}, err
	}
	switch {
	case resp.status == http.StatusNotModified && etag != "":
		return held, nil
	case resp.status == http.StatusNotFound:
		var e *Error
		if errors.As(resp.fail(op), &e) && (e.Code == "no_catalogue" || e.Code == "not_found") {
			return held, nil
		}
		return CataloguePull{}, resp.fail(op)
	case resp.status != http.StatusOK:
		return CataloguePull{}, resp.fail(op)
	}
	doc, err := cataloguedoc.Parse(resp.body)
	if err != nil {
		return CataloguePull{}, &Error{Kind: KindServer, Op: op, Status: resp.status,
			Message: "the portal sent a catalogue the till cannot use; the till keeps selling with the catalogue it has", Err: err}
	}
	if etag = resp.header.Get("ETag"); etag == "" {
		etag = cataloguedoc.ETag(st.SalesPointID, doc.Version)
	}
	err = c.DB.ApplyPortalCatalogue(ctx, doc.Snapshot(), doc.Version, etag)
	if errors.Is(err, catalogue.ErrInvalid) {
		return CataloguePull{}, &Error{Kind: KindServer, Op: op, Status: resp.status,
			Message: "the portal sent a catalogue the till cannot use; the till keeps selling with the catalogue it has", Err: err}
	}
	if err != nil {
		return CataloguePull{}, err // the till's own database: not the portal's fault
	}
	return CataloguePull{Changed: true, Managed: true, Version: doc.Version}, nil
}
