-- Keyhaven schema v9: several audit hash chains instead of one (docs/audit.md, "Chains").
-- Each writer (a server process, a Lambda execution environment) leases one chain and appends
-- only to it, so appends of different writers never wait on the same row. The lease is a hint
-- that keeps writers apart; correctness does not depend on it: every append still locks its
-- chain's row, so two writers that ever share a chain still form one sequence on it.
-- The single chain of v4 becomes chain 1, unchanged: its genesis is 32 zero bytes and its
-- checkpoints keep the keyhaven-audit-checkpoint/1 string to sign.

CREATE TABLE audit_chain (
    chain_id             bigint       PRIMARY KEY,
    last_seq             bigint       NOT NULL,
    last_hash            bytea        NOT NULL,
    checkpoint_seq       bigint       NOT NULL,
    checkpoint_signature bytea,
    checkpoint_time      timestamptz  NOT NULL,
    created_at           timestamptz  NOT NULL,
    -- The writer holding the chain (a random id per process) and until when; a chain whose
    -- lease has run out is taken over by the next writer that needs one, seq and hash continuing.
    lease_owner          varchar(64),
    lease_until          timestamptz  NOT NULL
);

INSERT INTO audit_chain (chain_id, last_seq, last_hash, checkpoint_seq, checkpoint_signature,
                         checkpoint_time, created_at, lease_owner, lease_until)
SELECT 1, last_seq, last_hash, checkpoint_seq, checkpoint_signature, checkpoint_time, now(), NULL,
       '-infinity'
FROM audit_head;
DROP TABLE audit_head;

CREATE SEQUENCE audit_chain_id START WITH 2;

ALTER TABLE audit_event ADD COLUMN chain_id bigint NOT NULL DEFAULT 1;
ALTER TABLE audit_event ALTER COLUMN chain_id DROP DEFAULT;
ALTER TABLE audit_event DROP CONSTRAINT audit_event_pkey;
ALTER TABLE audit_event ADD PRIMARY KEY (chain_id, seq);

-- LookupEvents: newest first within the caller's account, as caller or as key owner, in the
-- order (event_time, chain_id, seq), stable across chains. Two ordered scans merged: the
-- caller's own events, and others' events on its keys — a partial index of cross-account events
-- only (most events are their caller's own, so it stays small and costs appends little).
DROP INDEX audit_event_account;
DROP INDEX audit_event_recipient;
CREATE INDEX audit_event_account ON audit_event (account_id, event_time, chain_id, seq);
CREATE INDEX audit_event_recipient ON audit_event (recipient_account_id, event_time, chain_id, seq)
    WHERE recipient_account_id IS DISTINCT FROM account_id;

ALTER TABLE audit_checkpoint ADD COLUMN chain_id bigint NOT NULL DEFAULT 1;
ALTER TABLE audit_checkpoint ALTER COLUMN chain_id DROP DEFAULT;
ALTER TABLE audit_checkpoint DROP CONSTRAINT audit_checkpoint_pkey;
ALTER TABLE audit_checkpoint ADD PRIMARY KEY (chain_id, last_seq);

-- Signed manifests over every chain's head, chained by signature (the role of CloudTrail's
-- digest chain across log files): a dropped chain, or a tail cut below what a manifest named,
-- no longer verifies. heads: one line per chain, "<chain id> <last seq> <hex last hash>".
CREATE TABLE audit_manifest (
    manifest_seq       bigint       PRIMARY KEY,
    created_at         timestamptz  NOT NULL,
    heads              text         NOT NULL,
    previous_signature bytea,
    signing_key_id     varchar(64)  NOT NULL,
    signature          bytea        NOT NULL
);
