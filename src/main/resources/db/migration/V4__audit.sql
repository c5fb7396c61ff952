-- Keyhaven schema v4: the audit trail (docs/audit.md).
-- One global hash chain per database: audit_event.seq is contiguous from 1, and
-- hash = SHA-256(previous hash || seq as 8 bytes big-endian || event_json as UTF-8), the genesis
-- previous hash being 32 zero bytes. event_json is the event's canonical JSON, stored verbatim.

CREATE TABLE audit_event (
    seq                  bigint       PRIMARY KEY,
    event_time           timestamptz  NOT NULL,
    account_id           varchar(12),
    recipient_account_id varchar(12),
    event_name           varchar(64)  NOT NULL,
    principal_arn        varchar(2048),
    key_arn              varchar(128),
    error_code           varchar(64),
    request_id           varchar(64),
    event_id             varchar(64)  NOT NULL,
    event_json           text         NOT NULL,
    hash                 bytea        NOT NULL
);

-- LookupEvents: newest first within the caller's account, as caller or as key owner.
CREATE INDEX audit_event_account ON audit_event (account_id, seq);
CREATE INDEX audit_event_recipient ON audit_event (recipient_account_id, seq);

-- The chain head: the last record's seq and hash, and the last signed checkpoint. Every append
-- locks this row, so appends from all instances form one sequence.
CREATE TABLE audit_head (
    id                   integer     PRIMARY KEY CHECK (id = 1),
    last_seq             bigint      NOT NULL,
    last_hash            bytea       NOT NULL,
    checkpoint_seq       bigint      NOT NULL,
    checkpoint_signature bytea,
    checkpoint_time      timestamptz NOT NULL
);
INSERT INTO audit_head (id, last_seq, last_hash, checkpoint_seq, checkpoint_signature, checkpoint_time)
VALUES (1, 0, decode(repeat('00', 32), 'hex'), 0, NULL, now());

-- Signed checkpoints over [first_seq, last_seq]; contiguous, each naming its predecessor's
-- signature.
CREATE TABLE audit_checkpoint (
    last_seq           bigint       PRIMARY KEY,
    first_seq          bigint       NOT NULL,
    head_hash          bytea        NOT NULL,
    previous_signature bytea,
    created_at         timestamptz  NOT NULL,
    signing_key_id     varchar(64)  NOT NULL,
    signature          bytea        NOT NULL
);

-- The audit signing key (ECDSA P-384): public key in clear, private key wrapped under the root
-- key. key_id is the hex SHA-256 of the public key's DER.
CREATE TABLE audit_signing_key (
    key_id          varchar(64)  PRIMARY KEY,
    public_key      bytea        NOT NULL,
    wrapped_private bytea        NOT NULL,
    created_at      timestamptz  NOT NULL
);
