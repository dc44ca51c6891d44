-- The till's link to the back office: its activation (portal, device token, ids), the ETag of
-- the configuration it last pulled, and when it last reached the portal or failed to. One row.
-- An index on the outbox's insertion order is not needed: the pusher reads by rowid.
CREATE TABLE sync_state (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    portal_url      TEXT NOT NULL,
    token           TEXT NOT NULL,          -- the device token; never logged or shown
    till_id         TEXT NOT NULL,
    sales_point_id  TEXT NOT NULL,
    activated_at    TEXT NOT NULL,
    config_etag     TEXT NOT NULL DEFAULT '', -- as the portal sent it, quotes included
    last_pull_at    TEXT NOT NULL DEFAULT '',
    last_contact_at TEXT NOT NULL DEFAULT '', -- last answer that was not an error
    last_error      TEXT NOT NULL DEFAULT '',
    last_error_at   TEXT NOT NULL DEFAULT ''
);
