-- The language an attendee's certificate is printed in, when it differs from the event's.
CREATE TABLE person_languages (
    event_id   INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    person_key TEXT NOT NULL,
    language   TEXT NOT NULL CHECK (language = 'en' OR language = 'fr' OR language = 'es'),
    PRIMARY KEY (event_id, person_key)
);
