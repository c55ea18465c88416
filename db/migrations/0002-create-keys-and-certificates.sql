-- Signing keys (public halves only: private keys live in 0600 files beside the database) and
-- certificates, frozen at issue.

CREATE TABLE signing_keys (
    kid        TEXT PRIMARY KEY,
    -- Ed25519 public key, base64url without padding (the JWK "x").
    public_key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    -- Set when rotated out: a retired key signs nothing new but keeps verifying.
    retired_at TEXT
);

CREATE TABLE certificates (
    -- 128 random bits in Crockford base32 (26 characters), printed in groups.
    id             TEXT PRIMARY KEY,
    event_id       INTEGER NOT NULL REFERENCES events(id),
    person_key     TEXT NOT NULL,
    -- Exactly as printed; later corrections of the person do not change it.
    name           TEXT NOT NULL,
    email          TEXT,
    language       TEXT NOT NULL,
    minutes        INTEGER NOT NULL,
    issued_at      TEXT NOT NULL,
    kid            TEXT NOT NULL REFERENCES signing_keys(kid),
    token          TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'valid' CHECK (status = 'valid' OR status = 'revoked' OR status = 'superseded'),
    revoked_at     TEXT,
    revoked_reason TEXT,
    superseded_by  TEXT REFERENCES certificates(id),
    pdf_sha256     TEXT NOT NULL,
    pdf            BLOB NOT NULL,
    file_name      TEXT NOT NULL,
    CHECK (status <> 'revoked' OR (revoked_at IS NOT NULL AND revoked_reason IS NOT NULL)),
    CHECK (status <> 'superseded' OR superseded_by IS NOT NULL)
);
CREATE INDEX certificates_event ON certificates(event_id, person_key);
