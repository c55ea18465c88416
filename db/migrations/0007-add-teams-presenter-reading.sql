-- How a Teams report's "Presenter" role is read (issue 14).
--
-- In a Teams meeting everyone is a presenter by default, so the role says nothing; in a webinar
-- or town hall (its report has registration data) presenters are panelists. The importer decides
-- per upload (`uploads.presenters`); staff can override it per event (`events.teams_presenters`:
-- 'auto' keeps each upload's own reading). A presenter's connection is stored as a panelist's and
-- the reading is applied when decisions are made, so changing it needs no re-import.

ALTER TABLE events ADD COLUMN teams_presenters TEXT NOT NULL DEFAULT 'auto'
    CHECK (teams_presenters = 'auto' OR teams_presenters = 'attendee' OR teams_presenters = 'panelist');

-- NULL for the families that have no Presenter role.
ALTER TABLE uploads ADD COLUMN presenters TEXT
    CHECK (presenters IS NULL OR presenters = 'attendee' OR presenters = 'panelist');

-- Teams reports imported before this reading existed were read with presenters as panelists:
-- their decisions stay as they were until staff change the event's reading.
UPDATE uploads SET presenters = 'panelist' WHERE format = 'teams-attendance-report';
