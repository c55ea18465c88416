-- Bulk delivery of certificates by email (issue 12, item 2): one record per certificate, the
-- state of its mail. See src/delivery.rs for the state machine and why `sending` is never
-- resent blindly.
CREATE TABLE deliveries (
    id             INTEGER PRIMARY KEY,
    certificate_id TEXT NOT NULL UNIQUE REFERENCES certificates(id),
    event_id       INTEGER NOT NULL REFERENCES events(id),
    -- queued: waiting for a sender; sending: claimed by a sender, committed before the SMTP
    -- call; sent: the server accepted it; failed: refused or not reached; unknown: a sender
    -- stopped between the claim and the answer, so nobody knows whether it went out.
    state          TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'unknown')),
    -- Attach the PDF to the mail (staff's choice when queueing).
    attach_pdf     INTEGER NOT NULL DEFAULT 0,
    -- Mails handed to the server for this certificate (a resend adds one), and tries made.
    sends          INTEGER NOT NULL DEFAULT 0,
    attempts       INTEGER NOT NULL DEFAULT 0,
    queued_at      TEXT NOT NULL,
    queued_by      TEXT NOT NULL,
    -- Set by the claim; a random value the sender must hold to record the outcome.
    claimed_at     TEXT,
    claim          TEXT,
    finished_at    TEXT,
    -- The Message-ID of the last mail, to find it in the relay's own logs.
    message_id     TEXT,
    -- The server's answer when sent (e.g. "250 2.0.0 Ok: queued as 4F2A1"), the reason when
    -- failed or unknown.
    answer         TEXT,
    error          TEXT
);
CREATE INDEX deliveries_event_state ON deliveries(event_id, state);
