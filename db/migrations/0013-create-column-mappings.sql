-- Column mappings staff confirmed for exports whose headers attest does not know (issue 22):
-- the next file with the same header row (in that language, from that platform) is read through
-- the same columns at once. Keyed by the header row's normalised cells.

CREATE TABLE column_mappings (
    header_key   TEXT PRIMARY KEY,
    -- The header row as it was, for people.
    header       TEXT NOT NULL,
    -- JSON: [["name", 0], ["join", 2], ...], columns from 0.
    mapping      TEXT NOT NULL,
    confirmed_by TEXT NOT NULL,
    confirmed_at TEXT NOT NULL
);
