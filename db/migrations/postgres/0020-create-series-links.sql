-- Two addresses staff said are one person across a series (see the SQLite migration 0020).
CREATE TABLE series_links (
    series_id  BIGINT NOT NULL REFERENCES series(id) ON DELETE CASCADE,
    -- Lowercased addresses, the first in byte order first (COLLATE "C": SQLite's order).
    email_a    TEXT COLLATE "C" NOT NULL,
    email_b    TEXT COLLATE "C" NOT NULL CHECK (email_a < email_b),
    reason     TEXT COLLATE "C" NOT NULL,
    created_by TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (series_id, email_a, email_b)
);

-- Like every table, a write to it raises data_version (see the baseline): the other instances
-- then know their cached decisions and pages may be stale.
CREATE TRIGGER data_version_raise BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON series_links
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_raise();
