-- Keyhaven schema v8: rotation of imported key material (AWS 2025; docs/import.md).
-- An EXTERNAL symmetric key can hold several imported materials: the first, one per on-demand
-- rotation, and at most one pending rotation (the version after the current one, not used yet).
-- Every material stays associated with its key: deleting it (or its expiry) only drops the
-- wrapped bytes, so the row keeps its KeyMaterialId, rotation history and fingerprint, and only
-- the same material can be imported into it again. A row without wrapped bytes is material in
-- ImportState PENDING_IMPORT.
ALTER TABLE key_material ALTER COLUMN wrapped DROP NOT NULL;

-- Keyed fingerprint of the imported material of this version (as kms_key.import_fingerprint is
-- for the first one, V7); null for generated material and for rows older than V8.
ALTER TABLE key_material ADD COLUMN import_fingerprint varchar(64);
