-- Keyhaven schema v5: key rotation and the maintenance job (docs/rotation.md).
-- Numbered 5 because 4 is taken by the audit work; the migrator applies every listed script it
-- has not applied yet, whatever the numbering, so the two are independent of each other.

-- Automatic rotation: period and next date (both null while automatic rotation is off), and the
-- number of on-demand rotations (AWS allows 25 per key).
ALTER TABLE kms_key ADD COLUMN rotation_period_days integer;
ALTER TABLE kms_key ADD COLUMN next_rotation_date   timestamptz;
ALTER TABLE kms_key ADD COLUMN on_demand_rotations  integer NOT NULL DEFAULT 0;
ALTER TABLE kms_key ADD CONSTRAINT kms_key_rotation_schedule
    CHECK ((rotation_period_days IS NULL) = (next_rotation_date IS NULL));

-- How each material version was made: AUTOMATIC or ON_DEMAND; null for a key's first material.
-- created_at is its rotation date.
ALTER TABLE key_material ADD COLUMN rotation_type varchar(16);

-- The maintenance job's due-date indexes. Partial, so each holds only the keys that can be due
-- (Enabled keys with automatic rotation; PendingDeletion keys): a run costs what is due, not the
-- number of keys. The job's queries repeat these predicates so the planner can use them.
CREATE INDEX kms_key_rotation_due ON kms_key (next_rotation_date)
    WHERE key_state = 'ENABLED' AND next_rotation_date IS NOT NULL;
CREATE INDEX kms_key_deletion_due ON kms_key (deletion_date)
    WHERE key_state = 'PENDING_DELETION';
