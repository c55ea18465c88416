-- Issue 23: pages whose cost does not grow with the event, and download links that a newer one
-- replaces.
--
-- The attendance decisions of an event, as `attendance::decide` made them from everything stored
-- (rows, window, rule, links, splits, overrides): computed once after a change, then read. The
-- event's console page counts them with SQL and the attendance lists read one page of them,
-- instead of deciding a 100,000-row event again on every request (5.7 s and 530 MB each).
CREATE TABLE decisions (
    event_id   INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    -- Order of the attendance list (as `decide` returns it).
    position   INTEGER NOT NULL,
    person_key TEXT NOT NULL,
    eligible   INTEGER NOT NULL,
    -- Number of things a person should look at before issuing.
    review     INTEGER NOT NULL,
    -- The whole decision (name, reason, sources ...), JSON.
    decision   TEXT NOT NULL,
    PRIMARY KEY (event_id, position)
);
CREATE INDEX decisions_key ON decisions(event_id, person_key);
-- What the event's page counts, without reading the decisions' JSON.
CREATE INDEX decisions_counts ON decisions(event_id, eligible, review, person_key);

-- An event's row here means its `decisions` are current. Any change to what decisions are made
-- from deletes it (the triggers below), so no code path can forget to; `rules` names the build
-- of the decision rules that made them, so an upgrade that changes the rules decides again.
CREATE TABLE decision_sets (
    event_id    INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    rules       TEXT NOT NULL,
    people      INTEGER NOT NULL,
    computed_at TEXT NOT NULL
);

-- Uploads carry their rows: a trigger per upload, not per row (100,000 per import).
CREATE TRIGGER decisions_stale_upload_insert AFTER INSERT ON uploads
BEGIN DELETE FROM decision_sets WHERE event_id = NEW.event_id; END;
CREATE TRIGGER decisions_stale_upload_update AFTER UPDATE ON uploads
BEGIN DELETE FROM decision_sets WHERE event_id = NEW.event_id OR event_id = OLD.event_id; END;
CREATE TRIGGER decisions_stale_upload_delete AFTER DELETE ON uploads
BEGIN DELETE FROM decision_sets WHERE event_id = OLD.event_id; END;
-- Rows are only ever written with their upload; a later change to one (a migration, a repair by
-- hand) still makes the event's decisions stale.
CREATE TRIGGER decisions_stale_row_update AFTER UPDATE ON upload_rows
BEGIN DELETE FROM decision_sets WHERE event_id = (SELECT event_id FROM uploads WHERE id = NEW.upload_id); END;
CREATE TRIGGER decisions_stale_event_update AFTER UPDATE ON events
BEGIN DELETE FROM decision_sets WHERE event_id = NEW.id; END;
CREATE TRIGGER decisions_stale_link_insert AFTER INSERT ON people_links
BEGIN DELETE FROM decision_sets WHERE event_id = NEW.event_id; END;
CREATE TRIGGER decisions_stale_link_delete AFTER DELETE ON people_links
BEGIN DELETE FROM decision_sets WHERE event_id = OLD.event_id; END;
CREATE TRIGGER decisions_stale_override_insert AFTER INSERT ON overrides
BEGIN DELETE FROM decision_sets WHERE event_id = NEW.event_id; END;
CREATE TRIGGER decisions_stale_override_update AFTER UPDATE ON overrides
BEGIN DELETE FROM decision_sets WHERE event_id = NEW.event_id OR event_id = OLD.event_id; END;
CREATE TRIGGER decisions_stale_override_delete AFTER DELETE ON overrides
BEGIN DELETE FROM decision_sets WHERE event_id = OLD.event_id; END;

-- A newer link for the same certificate replaces the older ones: the older ones stop working
-- and say why.
ALTER TABLE download_links ADD COLUMN replaced_at TEXT;
CREATE INDEX download_links_certificate ON download_links(certificate_id);

-- The rows an upload's line on the event's page shows, stored with it instead of counted from
-- `upload_rows` on every view.
ALTER TABLE uploads ADD COLUMN data_rows INTEGER NOT NULL DEFAULT 0;
ALTER TABLE uploads ADD COLUMN error_rows INTEGER NOT NULL DEFAULT 0;
UPDATE uploads SET
    data_rows = (SELECT count(*) FROM upload_rows r WHERE r.upload_id = uploads.id AND (r.kind = 'data' OR r.kind = 'error')),
    error_rows = (SELECT count(*) FROM upload_rows r WHERE r.upload_id = uploads.id AND r.kind = 'error');
