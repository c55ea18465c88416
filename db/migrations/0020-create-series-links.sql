-- Two addresses staff said are one person across a series: someone who came to one session from
-- their office address and to the next from a private one, which no single event can join (an
-- event's own links join only keys found in that event).
CREATE TABLE series_links (
    series_id  INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
    -- Lowercased addresses, the first in byte order first.
    email_a    TEXT NOT NULL,
    email_b    TEXT NOT NULL CHECK (email_a < email_b),
    reason     TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (series_id, email_a, email_b)
);
