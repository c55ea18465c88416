-- Status-list positions handed out but perhaps not yet stored (issue 19). A run reserves its
-- positions here, in a write transaction of their own, before it signs them into tokens and
-- credentials; two runs at once (two processes on one file, or two events in one service) used
-- to read the same highest position, sign the same numbers, and the later batch failed on the
-- unique index. One row: the first position not yet reserved. Positions reserved by a run that
-- then stored fewer certificates stay unused: a status list with a gap is still a status list.
CREATE TABLE status_position_reservations (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    next INTEGER NOT NULL
);
