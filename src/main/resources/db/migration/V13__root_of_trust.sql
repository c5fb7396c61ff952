-- Keyhaven schema v13: the root of trust may be an HSM (issue 21, part 5; docs/key-hierarchy.md).
-- kind 'secret': the configured 32 bytes are the root key (every database before v13).
-- kind 'pkcs11': sealed_domain_key is the 256-bit domain key sealed by the HSM key labelled
-- hsm_key_label; the domain key is the root key in memory. check_value is, for both, an AES-GCM
-- tag under the root key.
ALTER TABLE root_key_check ADD COLUMN kind varchar(16) NOT NULL DEFAULT 'secret'
    CHECK (kind IN ('secret', 'pkcs11'));
ALTER TABLE root_key_check ADD COLUMN sealed_domain_key bytea;
ALTER TABLE root_key_check ADD COLUMN hsm_key_label text;
ALTER TABLE root_key_check ADD CONSTRAINT root_key_check_pkcs11_sealed
    CHECK (kind <> 'pkcs11' OR (sealed_domain_key IS NOT NULL AND hsm_key_label IS NOT NULL));

-- A root-key migration (./kms root-key migrate) in progress: the root every stored value is being
-- moved to. While target_kind is set the service refuses to start; the migration, run again,
-- finishes with this same target.
ALTER TABLE root_key_check ADD COLUMN target_kind varchar(16)
    CHECK (target_kind IS NULL OR target_kind IN ('secret', 'pkcs11'));
ALTER TABLE root_key_check ADD COLUMN target_check bytea;
ALTER TABLE root_key_check ADD COLUMN target_sealed_domain_key bytea;
ALTER TABLE root_key_check ADD COLUMN target_hsm_key_label text;
ALTER TABLE root_key_check ADD COLUMN migration_started_at timestamptz;
