-- The issuer's name as French and Spanish certificates print it (the Council of Europe is the
-- Conseil de l'Europe on a French certificate). NULL: the profile's name, or the configured one.
ALTER TABLE organisation ADD COLUMN issuer_fr TEXT;
ALTER TABLE organisation ADD COLUMN issuer_es TEXT;
