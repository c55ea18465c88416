-- Events, uploads with their original bytes, every row of every upload, and the connections
-- read from them. Times are UTC, RFC 3339 text.
--
-- Enumerations are checked with `=` chains, not `IN (...)`: SQLite evaluates a CHECK with an IN
-- list by building an ephemeral table on every insert, which tripled the cost of an import.

CREATE TABLE events (
    id                 INTEGER PRIMARY KEY,
    slug               TEXT NOT NULL UNIQUE,
    title              TEXT NOT NULL,
    series             TEXT,
    -- The window given by staff; NULL means "take it from the exports' headers".
    starts_at          TEXT,
    ends_at            TEXT,
    timezone           TEXT NOT NULL DEFAULT 'UTC',
    language           TEXT NOT NULL DEFAULT 'en' CHECK (language = 'en' OR language = 'fr' OR language = 'es'),
    rule_kind          TEXT NOT NULL DEFAULT 'min_percent' CHECK (rule_kind = 'min_percent' OR rule_kind = 'min_minutes'),
    rule_value         INTEGER NOT NULL DEFAULT 75 CHECK (rule_value >= 0),
    panelists_eligible INTEGER NOT NULL DEFAULT 0,
    template           TEXT,
    created_at         TEXT NOT NULL
);

CREATE TABLE uploads (
    id            INTEGER PRIMARY KEY,
    event_id      INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    file_name     TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    bytes         BLOB NOT NULL,
    format        TEXT NOT NULL,
    variant       TEXT NOT NULL,
    encoding      TEXT NOT NULL,
    delimiter     TEXT NOT NULL,
    timezone      TEXT NOT NULL,
    date_order    TEXT,
    meeting_id    TEXT,
    topic         TEXT,
    meeting_start TEXT,
    meeting_end   TEXT,
    host_email    TEXT,
    warnings      TEXT NOT NULL DEFAULT '[]',
    imported_at   TEXT NOT NULL,
    UNIQUE (event_id, sha256)
);

-- Every non-blank row of an upload, with its original cells (JSON array).
CREATE TABLE raw_rows (
    id          INTEGER PRIMARY KEY,
    upload_id   INTEGER NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
    line        INTEGER NOT NULL,
    section     TEXT,
    kind        TEXT NOT NULL CHECK (kind = 'meta' OR kind = 'header' OR kind = 'data' OR kind = 'skipped' OR kind = 'error'),
    header_line INTEGER,
    fields      TEXT NOT NULL,
    note        TEXT
);
CREATE INDEX raw_rows_upload ON raw_rows(upload_id, line);

CREATE TABLE connections (
    id             INTEGER PRIMARY KEY,
    upload_id      INTEGER NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
    raw_row_id     INTEGER NOT NULL REFERENCES raw_rows(id) ON DELETE CASCADE,
    line           INTEGER NOT NULL,
    role           TEXT NOT NULL CHECK (role = 'host' OR role = 'panelist' OR role = 'attendee'),
    kind           TEXT NOT NULL CHECK (kind = 'interval' OR kind = 'total' OR kind = 'registration'),
    name           TEXT NOT NULL,
    email          TEXT,
    reg_first_name TEXT,
    reg_last_name  TEXT,
    reg_email      TEXT,
    join_at        TEXT,
    leave_at       TEXT,
    total_seconds  INTEGER,
    waiting_room   INTEGER NOT NULL DEFAULT 0,
    review         TEXT
);
CREATE INDEX connections_upload ON connections(upload_id);

-- Staff corrections of identity: 'link' joins the people holding key_a and key_b, 'split'
-- keeps the rows holding key_a apart.
CREATE TABLE people_links (
    id         INTEGER PRIMARY KEY,
    event_id   INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind = 'link' OR kind = 'split'),
    key_a      TEXT NOT NULL,
    key_b      TEXT,
    reason     TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE overrides (
    id         INTEGER PRIMARY KEY,
    event_id   INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    person_key TEXT NOT NULL,
    eligible   INTEGER NOT NULL,
    reason     TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (event_id, person_key)
);

-- Who did what, when and why. Never updated or deleted.
CREATE TABLE audit (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail  TEXT NOT NULL DEFAULT ''
);
