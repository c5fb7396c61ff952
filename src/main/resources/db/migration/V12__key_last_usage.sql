-- GetKeyLastUsage (issue 21, part 3; AWS KMS API Reference, GetKeyLastUsage and
-- KeyLastUsageData): the last successful cryptographic operation of each key.
--
-- A row per key that has been used since tracking began. It is written only by the audit group
-- commit (adapter/persistence/PgAuditLog): one upsert per batch, over the keys whose successful
-- cryptographic operations the batch records, in the batch's own transaction — no statement of
-- its own on any request's path — and only forward in time (a batch committed later with an
-- older use leaves a newer row alone). The row's event_id and request_id name that operation's
-- audit event (CloudTrailEventId, KmsRequestId).
--
-- No foreign key to kms_key on purpose: the group commit writes this table while it holds its
-- audit chain's head lock, and a foreign-key check would take a share lock on the key row — which
-- a management transaction may hold FOR UPDATE while it waits for that same head lock (lock order
-- key rows → head, docs/architecture.md). The upsert skips keys that no longer exist instead, and
-- deleting a key deletes its row (KeyRepository.destroy; no use of a key succeeds during its
-- deletion window, so that delete and a batch's upsert never wait on each other).
CREATE TABLE key_last_usage (
    key_id     uuid        PRIMARY KEY,
    operation  varchar(64) NOT NULL,
    used_at    timestamptz NOT NULL,
    event_id   varchar(64) NOT NULL,
    request_id varchar(64) NOT NULL
);

-- TrackingStartDate: when this migration ran, i.e. since when this database has recorded uses.
-- A key created later answers its own creation date (AWS: "the date from which KMS began
-- recording cryptographic activity for this key, or the date the KMS key was created, whichever
-- is later").
CREATE TABLE key_usage_tracking (
    id         integer     PRIMARY KEY CHECK (id = 1),
    started_at timestamptz NOT NULL
);
INSERT INTO key_usage_tracking (id, started_at) VALUES (1, now());
