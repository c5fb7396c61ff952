-- Keyhaven schema v7: importing key material (BYOK, docs/import.md).
-- The imported material itself is stored like every material version (wrapped under the root key
-- in key_material); deleting it or letting it expire deletes that row. What stays on the key:
-- a keyed fingerprint of the first material imported (HMAC-SHA-256 under a key derived from the
-- root key; never the material), so only the same material can be imported again, and the
-- expiration of the material present (both null while there is none).
ALTER TABLE kms_key ADD COLUMN import_fingerprint varchar(64);
ALTER TABLE kms_key ADD COLUMN expiration_model   varchar(32);
ALTER TABLE kms_key ADD COLUMN valid_to           timestamptz;

-- The maintenance job's expiry step (DeleteExpiredKeyMaterial): partial, so it holds only keys
-- whose imported material expires; the job's query repeats the predicate.
CREATE INDEX kms_key_material_expiry_due ON kms_key (valid_to) WHERE valid_to IS NOT NULL;
