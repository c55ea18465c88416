-- One-time links that attendees receive by email to download their certificate. Only the
-- SHA-256 of the link's secret is stored.
CREATE TABLE download_links (
    token_sha256   TEXT PRIMARY KEY,
    certificate_id TEXT NOT NULL REFERENCES certificates(id),
    created_at     TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    used_at        TEXT
);
