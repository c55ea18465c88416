-- One table for the rows of an upload and the connections read from them.
--
-- Every connection comes from exactly one row (a Teams leave event is the join row's connection,
-- the leave row is stored as skipped), so storing them apart wrote each data row twice: two
-- tables, two indexes and three foreign-key checks per row, about half the SQLite time of a
-- 100,000-row import. Now a row is one insert into one table and its (upload_id, line) index,
-- with the connection's columns filled in when the row became one. (WITHOUT ROWID, which would
-- drop the index, measured no faster: appending to an index-organised table rebalances pages
-- that a rowid table simply appends.)
--
-- `raw_rows` and `connections` stay as views with their former columns (less the internal ids),
-- so queries written against them keep working.

CREATE TABLE upload_rows (
    upload_id      INTEGER NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
    -- Physical line of the decoded file the row starts on.
    line           INTEGER NOT NULL,
    section        TEXT,
    kind           TEXT NOT NULL CHECK (kind = 'meta' OR kind = 'header' OR kind = 'data' OR kind = 'skipped' OR kind = 'error'),
    header_line    INTEGER,
    -- The row's original cells, as a JSON array.
    fields         TEXT NOT NULL,
    note           TEXT,
    -- The connection read from the row; role is NULL when the row is not one.
    role           TEXT CHECK (role IS NULL OR role = 'host' OR role = 'panelist' OR role = 'attendee'),
    conn_kind      TEXT CHECK (conn_kind IS NULL OR conn_kind = 'interval' OR conn_kind = 'total' OR conn_kind = 'registration'),
    name           TEXT,
    email          TEXT,
    reg_first_name TEXT,
    reg_last_name  TEXT,
    reg_email      TEXT,
    join_at        TEXT,
    leave_at       TEXT,
    total_seconds  INTEGER,
    waiting_room   INTEGER,
    review         TEXT,
    PRIMARY KEY (upload_id, line)
);

-- A raw row with two connections would break the primary key and stop the migration rather
-- than lose one; the importer never writes that.
INSERT INTO upload_rows (upload_id, line, section, kind, header_line, fields, note, role, conn_kind, name, email,
                         reg_first_name, reg_last_name, reg_email, join_at, leave_at, total_seconds, waiting_room, review)
SELECT r.upload_id, r.line, r.section, r.kind, r.header_line, r.fields, r.note, c.role, c.kind, c.name, c.email,
       c.reg_first_name, c.reg_last_name, c.reg_email, c.join_at, c.leave_at, c.total_seconds, c.waiting_room, c.review
FROM raw_rows r LEFT JOIN connections c ON c.raw_row_id = r.id;

DROP TABLE connections;
DROP TABLE raw_rows;

CREATE VIEW raw_rows AS
SELECT upload_id, line, section, kind, header_line, fields, note FROM upload_rows;

CREATE VIEW connections AS
SELECT upload_id, line, role, conn_kind AS kind, name, email, reg_first_name, reg_last_name, reg_email,
       join_at, leave_at, total_seconds, waiting_room, review
FROM upload_rows WHERE role IS NOT NULL;
