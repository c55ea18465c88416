-- Staff accounts, their browser sessions, API tokens and one-time setup links. No secret is
-- stored in the clear: passwords as argon2 PHC strings, session, token and link secrets as their
-- SHA-256 (they are 256-bit random values, so a fast hash is enough).
CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    -- NULL until the person sets a password through their setup link.
    password_hash TEXT,
    created_at    TEXT NOT NULL,
    disabled_at   TEXT
);

CREATE TABLE staff_sessions (
    token_sha256 TEXT PRIMARY KEY,
    staff_id     INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    -- Sent back in every form of the session and compared on every POST.
    csrf         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX staff_sessions_by_staff ON staff_sessions (staff_id);

CREATE TABLE api_tokens (
    token_sha256 TEXT PRIMARY KEY,
    staff_id     INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    label        TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);

-- A link that lets one person choose a password: for a new account (`attest staff add`) or for
-- the first account of a fresh installation (staff_id NULL: the page asks for the email too).
CREATE TABLE setup_links (
    token_sha256 TEXT PRIMARY KEY,
    staff_id     INTEGER REFERENCES staff(id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    used_at      TEXT
);
