// Package tillsync connects the till to the back office (docs/spec/sync.md): it activates the
// till, pulls its configuration into the cache, and pushes the documented sales of the outbox.
// It is named tillsync, not sync, so that it does not shadow the standard library's sync in
// the files that import both. It never deletes a sale the portal has not acknowledged,
// never decides about a sale, and never logs the device token.
package tillsync

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"till/app/config"
	"till/storage"
)

// MaxBatch is the most sales one POST /api/v1/sales may carry (sync.md).
const MaxBatch = 500

// DefaultTimeout bounds one call to the portal; a batch of 500 sales is a few hundred KiB.
const DefaultTimeout = 30 * time.Second

// maxAnswer bounds what the till reads of an answer; a configuration is a few KiB.
const maxAnswer = 8 << 20

// pendingHeader tells the portal how many sales wait on the till (its account page shows it).
const pendingHeader = "X-Till-Pending"

// Client makes the calls of sync.md for the till whose database is DB, reading the activation
// from it at every call, so a till activated again by `till activate` is picked up at once.
type Client struct {
	DB   *storage.DB
	HTTP *http.Client     // nil: a client with DefaultTimeout
	Now  func() time.Time // nil: time.Now
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

var defaultHTTP = &http.Client{Timeout: DefaultTimeout}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return defaultHTTP
}

// Activation is what the portal gives a till for a valid code.
type Activation struct {
	Token        string `json:"token"`
	TillID       string `json:"till_id"`
	SalesPointID string `json:"sales_point_id"`
}

// Activate spends a one-time activation code at portalURL and stores the device token and the
// till's ids in the database, replacing any earlier activation. The outbox and the cached
// configuration are kept: sales made before stay queued for the new identity.
func (c *Client) Activate(ctx context.Context, portalURL, code string) (Activation, error) {
	const op = "activate"
	base, err := normalizeURL(portalURL)
	if err != nil {
		return Activation{}, &Error{Kind: KindRejected, Op: op, Err: err}
	}
	body, _ := json.Marshal(map[string]string{"code": code})
	var a Activation
	resp, err := c.do(ctx, op, http.MethodPost, base+"/api/v1/activate", "", body, nil)
	if err != nil {
		return Activation{}, err
	}
	if err := decode(op, resp, &a); err != nil {
		return Activation{}, err
	}
	if a.Token == "" || a.TillID == "" {
		return Activation{}, &Error{Kind: KindServer, Op: op, Status: resp.status, Message: "the answer has no token or till_id"}
	}
	if err := c.DB.SaveActivation(ctx, base, a.Token, a.TillID, a.SalesPointID, c.now()); err != nil {
		return Activation{}, err
	}
	return a, nil
}

// normalizeURL accepts http(s)://host[:port][/prefix] and drops a trailing slash.
func normalizeURL(s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("portal address %q: want http://host:port or https://host", s)
	}
	u.RawQuery, u.Fragment = "", ""
	return strings.TrimSuffix(u.String(), "/"), nil
}

// Pull is the outcome of PullConfig.
type Pull struct {
	Changed bool  // a new document was cached
	Version int64 // the version the till now runs on (the cached one after a 304)
}

// PullConfig asks for the configuration with the ETag of the last one pulled. On 200 the
// document is parsed, checked (config.Check) and cached with source back-office; on 304
// nothing changes. A document that does not pass is not cached: the till keeps running on the
// copy it has, and the error (KindServer, wrapping config.ErrInvalid) says why.
func (c *Client) PullConfig(ctx context.Context) (Pull, error) {
	const op = "pull configuration"
	st, err := c.state(ctx)
	if err != nil {
		return Pull{}, err
	}
	// The ETag is sent only while the cache still holds the document it came with: after a file
	// import or a local edit, a 304 would leave the till on a copy the portal never sent.
	cached, _, err := c.DB.LoadConfig(ctx)
	etag := st.ConfigETag
	if err != nil || cached == nil || etag != strconv.Quote(strconv.FormatInt(cached.Version, 10)) {
		etag = ""
	}
	resp, err := c.do(ctx, op, http.MethodGet, st.PortalURL+"/api/v1/config", st.Token, nil, func(r *http.Request) {
		if etag != "" {
			r.Header.Set("If-None-Match", etag)
		}
		c.setPending(ctx, r)
	})
	if err != nil {
		return Pull{}, err
	}
	if resp.status == http.StatusNotModified && etag != "" {
		if err := c.DB.NoteConfigPulled(ctx, etag, c.now()); err != nil {
			return Pull{}, err
		}
		return Pull{Version: cached.Version}, nil
	}
	if resp.status != http.StatusOK {
		return Pull{}, resp.fail(op)
	}
	doc, err := config.Parse(resp.body)
	if err == nil {
		err = config.Check(doc)
	}
	if err != nil {
		return Pull{}, &Error{Kind: KindServer, Op: op, Status: resp.status, Message: "the portal sent a configuration the till cannot use", Err: err}
	}
	if err := c.DB.SaveConfig(ctx, doc, config.SourceBackOffice); err != nil {
		return Pull{}, &Error{Kind: KindServer, Op: op, Status: resp.status, Message: "the configuration could not be cached", Err: err}
	}
	etag = resp.header.Get("ETag")
	if etag == "" {
		etag = strconv.Quote(strconv.FormatInt(doc.Version, 10))
	}
	if err := c.DB.NoteConfigPulled(ctx, etag, c.now()); err != nil {
		return Pull{}, err
	}
	return Pull{Changed: true, Version: doc.Version}, nil
}

// Status is the answer of GET /api/v1/status.
type Status struct {
	TillID        string     `json:"till_id"`
	SalesReceived int64      `json:"sales_received"`
	LastSaleAt    *time.Time `json:"last_sale_at"`
	ConfigVersion int64      `json:"config_version"`
}

// Status asks what the portal holds of this till.
func (c *Client) Status(ctx context.Context) (Status, error) {
	const op = "status"
	st, err := c.state(ctx)
	if err != nil {
		return Status{}, err
	}
	resp, err := c.do(ctx, op, http.MethodGet, st.PortalURL+"/api/v1/status", st.Token, nil, func(r *http.Request) { c.setPending(ctx, r) })
	if err != nil {
		return Status{}, err
	}
	var s Status
	if err := decode(op, resp, &s); err != nil {
		return Status{}, err
	}
	return s, c.DB.NoteSyncContact(ctx, c.now())
}

// Device is a payment terminal the till tells the portal about (POST /api/v1/devices).
type Device struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Model string `json:"model"`
	Link  string `json:"link"`
}

// RegisterDevices tells the portal about the terminals added on the till, so they appear in
// its step 4; their Terminal ID and enabled tills stay as set in the portal.
func (c *Client) RegisterDevices(ctx context.Context, devices []Device) error {
	const op = "register devices"
	st, err := c.state(ctx)
	if err != nil {
		return err
	}
	body, err := json.Marshal(map[string][]Device{"devices": devices})
	if err != nil {
		return err
	}
	resp, err := c.do(ctx, op, http.MethodPost, st.PortalURL+"/api/v1/devices", st.Token, body, nil)
	if err != nil {
		return err
	}
	return decode(op, resp, &struct{}{})
}

// DevicesOf lists the payment devices of a configuration as RegisterDevices wants them.
func DevicesOf(doc *config.Document) []Device {
	var out []Device
	for _, d := range doc.PaymentDevices {
		out = append(out, Device{ID: d.ID, Name: d.Name, Model: d.Model, Link: d.Link})
	}
	return out
}

func (c *Client) state(ctx context.Context) (storage.SyncState, error) {
	st, err := c.DB.LoadSyncState(ctx)
	if err != nil {
		return st, err
	}
	if !st.Activated() {
		return st, ErrNotActivated
	}
	return st, nil
}

// setPending adds the outbox count to a request; a count that cannot be read is left out,
// since it is only shown in the portal.
func (c *Client) setPending(ctx context.Context, r *http.Request) {
	if n, err := c.DB.OutboxCount(ctx); err == nil {
		r.Header.Set(pendingHeader, strconv.Itoa(n))
	}
}

// answer is a read HTTP response.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// do sends one request and reads the whole answer. No answer at all is KindUnreachable; a 401
// is KindRevoked whatever the call. Other statuses are left to the caller.
func (c *Client) do(ctx context.Context, op, method, url, token string, body []byte, edit func(*http.Request)) (answer, error) {
	return c.send(ctx, op, method, url, token, body, maxAnswer, edit)
}

// get is do for a GET whose answer may be up to limit bytes (after gzip is undone).
func (c *Client) get(ctx context.Context, op, url, token string, limit int64, edit func(*http.Request)) (answer, error) {
	return c.send(ctx, op, http.MethodGet, url, token, nil, limit, edit)
}

func (c *Client) send(ctx context.Context, op, method, url, token string, body []byte, limit int64, edit func(*http.Request)) (answer, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return answer{}, &Error{Kind: KindRejected, Op: op, Err: err}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if edit != nil {
		edit(req)
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		// url.Error quotes the URL, never headers: the token stays out of the message.
		return answer{}, &Error{Kind: KindUnreachable, Op: op, Err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		// The connection broke mid-answer: the portal may have acted, the till cannot know.
		return answer{}, &Error{Kind: KindUnreachable, Op: op, Status: resp.StatusCode, Err: err}
	}
	if int64(len(data)) > limit {
		return answer{}, &Error{Kind: KindServer, Op: op, Status: resp.StatusCode,
			Message: fmt.Sprintf("the answer is larger than the %d bytes the till reads", limit)}
	}
	a := answer{status: resp.StatusCode, header: resp.Header, body: data}
	if a.status == http.StatusUnauthorized {
		return a, a.fail(op)
	}
	return a, nil
}

// fail turns a non-success answer into an *Error with the portal's code and message.
func (a answer) fail(op string) error {
	e := &Error{Op: op, Status: a.status}
	var body struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	if json.Unmarshal(a.body, &body) == nil {
		e.Code, e.Message = body.Error, body.Message
	}
	switch {
	case a.status == http.StatusUnauthorized:
		e.Kind = KindRevoked
	case a.status == http.StatusBadGateway, a.status == http.StatusServiceUnavailable, a.status == http.StatusGatewayTimeout:
		// What a reverse proxy says when the portal behind it is down: offline, not broken.
		e.Kind = KindUnreachable
	case a.status >= 500:
		e.Kind = KindServer
	default:
		e.Kind = KindRejected
	}
	return e
}

// decode reads a 200 JSON answer into v.
func decode(op string, a answer, v any) error {
	if a.status != http.StatusOK {
		return a.fail(op)
	}
	if err := json.Unmarshal(a.body, v); err != nil {
		return &Error{Kind: KindServer, Op: op, Status: a.status, Message: "malformed answer", Err: err}
	}
	return nil
}

// isSyncError tells a portal failure from a local one (database), which is not the portal's.
func isSyncError(err error) bool {
	var e *Error
	return errors.As(err, &e)
}
