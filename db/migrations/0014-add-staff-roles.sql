-- Roles (issue 20): admin (staff, keys, organisation profile, designs), issuer (events, imports,
-- decisions, issuing, revoking, sending) and viewer (reads, changes nothing). Accounts that
-- existed before roles could do everything: they become admins, which is what the DEFAULT gives
-- them. New accounts always name their role (attest staff add defaults to issuer).
ALTER TABLE staff ADD COLUMN role TEXT NOT NULL DEFAULT 'admin' CHECK (role IN ('admin', 'issuer', 'viewer'));

-- A token acts with at most its owner's role: NULL (the tokens made before roles) is the owner's
-- role, whatever it is now; a role here is a ceiling below it.
ALTER TABLE api_tokens ADD COLUMN role TEXT CHECK (role IN ('admin', 'issuer', 'viewer'));

-- The role the account acted with, beside the account (the actor). NULL for the command line and
-- for entries written before roles.
ALTER TABLE audit ADD COLUMN role TEXT;
