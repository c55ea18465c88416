-- Sign-in through the organisation's OpenID provider (issue 20): the provider's stable subject
-- of the person behind an account (for Entra, "entra:<tenant id>:<object id>"; elsewhere
-- "<issuer>#<sub>"). NULL for accounts that have only ever used a password. Emails and names
-- change; the subject does not, so it is what recognises staff once bound.
ALTER TABLE staff ADD COLUMN subject TEXT;
CREATE UNIQUE INDEX staff_by_subject ON staff (subject) WHERE subject IS NOT NULL;
