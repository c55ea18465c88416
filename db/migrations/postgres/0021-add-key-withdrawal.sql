-- A signing key the issuer withdrew (its private half leaked, or may have): what it signed
-- verifies no more, since anyone holding it could sign a certificate that looks genuine. NULL:
-- not withdrawn. Only a retired key is withdrawn (a rotation comes first), so that issuing
-- never signs with one.
ALTER TABLE signing_keys ADD COLUMN withdrawn_at TEXT COLLATE "C";
ALTER TABLE signing_keys ADD COLUMN withdrawn_reason TEXT COLLATE "C";
