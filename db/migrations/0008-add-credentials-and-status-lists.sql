-- Open Badges 3.0 credentials (issue 11). Each certificate gets a position in the status lists
-- (list = position / 131072, index = position % 131072) and its signed credential as issued, so
-- the credential is frozen with the record like the PDF. Certificates issued before this
-- migration have neither until one is asked for (then it is built from the record and stored).
ALTER TABLE certificates ADD COLUMN status_position INTEGER;
ALTER TABLE certificates ADD COLUMN credential TEXT;
CREATE UNIQUE INDEX certificates_status_position ON certificates(status_position);

-- The revocation bits of each list (131072 bits, index 0 the left-most bit of the first byte),
-- changed in the same transaction as the revocation or supersession they record.
CREATE TABLE status_lists (
    list       INTEGER PRIMARY KEY,
    bits       BLOB NOT NULL,
    updated_at TEXT NOT NULL
);
