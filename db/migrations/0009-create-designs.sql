-- Certificate designs managed by staff (issue 12): logos, signatories, wording and colours kept
-- in the database, so that backups and a second server carry them. The shipped templates stay
-- the defaults: an event without a design (and no organisation default) renders as before.

-- Checked, re-encoded images (logos and signatures), addressed by the SHA-256 of the stored PNG.
-- Never served as uploaded: `png` is attest's own encoding of the decoded pixels.
CREATE TABLE design_assets (
    sha256     TEXT PRIMARY KEY,
    png        BLOB NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE designs (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- Every saved state of a design, immutable: a certificate names the version it was issued with,
-- and editing a design adds a version. `spec` is the JSON of `certificate::design::DesignSpec`.
CREATE TABLE design_versions (
    design_id  INTEGER NOT NULL REFERENCES designs(id),
    version    INTEGER NOT NULL,
    spec       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (design_id, version)
);

-- The images each version uses: with the foreign keys, no asset a version uses can be deleted,
-- and no version a certificate uses (below).
CREATE TABLE design_version_assets (
    design_id INTEGER NOT NULL,
    version   INTEGER NOT NULL,
    sha256    TEXT NOT NULL REFERENCES design_assets(sha256),
    PRIMARY KEY (design_id, version, sha256),
    FOREIGN KEY (design_id, version) REFERENCES design_versions(design_id, version)
);

-- The organisation's profile: one row. NULL fields fall back to the server's configuration.
CREATE TABLE organisation (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    issuer            TEXT,
    issuer_short      TEXT,
    default_design_id INTEGER REFERENCES designs(id)
);

-- Which design an event's certificates use (none: the organisation's default, else the
-- shipped template as before). Kept beside `events` so that the event row is unchanged.
CREATE TABLE event_designs (
    event_id  INTEGER PRIMARY KEY REFERENCES events(id),
    design_id INTEGER NOT NULL REFERENCES designs(id)
);

-- The design version a certificate was issued with (certificates without a row used the
-- shipped template). Frozen with the certificate: a reissue records the version it used.
CREATE TABLE certificate_designs (
    certificate_id TEXT PRIMARY KEY REFERENCES certificates(id),
    design_id      INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    FOREIGN KEY (design_id, version) REFERENCES design_versions(design_id, version)
);
