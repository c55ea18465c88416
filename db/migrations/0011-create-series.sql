-- Series of events (issue 12, item 3): the 2020 seminar series, the 2021-22 parliamentary
-- webinars. A series has its own rule over its events' decisions and issues certificates of its
-- own, stored in `certificates` like any other (so the token, the PDF signature, the credential,
-- the status list, revocation, reissue and verification need nothing new), marked by
-- `series_id`, with the sessions they list frozen beside them.

CREATE TABLE series (
    id           INTEGER PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    title        TEXT NOT NULL,
    -- At least this many of the series' events; NULL: all of them.
    min_sessions INTEGER CHECK (min_sessions IS NULL OR min_sessions >= 1),
    -- Language of its certificates: en, fr or es.
    language     TEXT NOT NULL DEFAULT 'en',
    created_at   TEXT NOT NULL
);

-- An event may belong to more than one series.
CREATE TABLE series_events (
    series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
    event_id  INTEGER NOT NULL REFERENCES events(id),
    PRIMARY KEY (series_id, event_id)
);

-- A series certificate keeps `event_id` NOT NULL (the column cannot change without rebuilding
-- the table): it names the series' first event, and every per-event query filters on
-- `series_id IS NULL`.
ALTER TABLE certificates ADD COLUMN series_id INTEGER REFERENCES series(id);
CREATE INDEX certificates_series ON certificates(series_id, person_key);

-- The sessions a series certificate lists, as printed: frozen at issue like the name.
CREATE TABLE series_certificate_sessions (
    certificate_id    TEXT NOT NULL REFERENCES certificates(id),
    position          INTEGER NOT NULL,
    event_id          INTEGER NOT NULL REFERENCES events(id),
    title             TEXT NOT NULL,
    -- YYYY-MM-DD in the event's zone.
    date              TEXT NOT NULL,
    minutes           INTEGER NOT NULL,
    -- The person's certificate for that event, when they hold a valid one at issue.
    event_certificate TEXT REFERENCES certificates(id),
    PRIMARY KEY (certificate_id, position)
);
