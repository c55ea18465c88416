-- How the public reaches the issuer (issue 21): an email address or an https:// page, shown on
-- the verify pages beside "contact the issuer". NULL: no contact given (the pages name the
-- issuer only).
ALTER TABLE organisation ADD COLUMN contact TEXT COLLATE "C";
