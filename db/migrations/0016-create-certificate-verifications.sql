-- How often each certificate was verified and when last (issue 20), for staff: a count and a
-- time, never who asked (no address, no client of any kind). Written in batches by the service
-- (web::metrics), so that verification stays a read.
CREATE TABLE certificate_verifications (
    certificate_id TEXT PRIMARY KEY REFERENCES certificates(id) ON DELETE CASCADE,
    count          INTEGER NOT NULL,
    last_at        TEXT NOT NULL
);
