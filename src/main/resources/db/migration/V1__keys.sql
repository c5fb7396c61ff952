-- Keyhaven schema v1: keys, wrapped key material versions, aliases.
-- Key material is stored only wrapped under the root key (docs/key-hierarchy.md).

CREATE TABLE kms_key (
    key_id                  uuid         PRIMARY KEY,
    account_id              varchar(12)  NOT NULL,
    region                  varchar(32)  NOT NULL,
    key_spec                varchar(32)  NOT NULL,
    key_usage               varchar(32)  NOT NULL,
    origin                  varchar(32)  NOT NULL,
    key_state               varchar(32)  NOT NULL,
    description             text         NOT NULL,
    creation_date           timestamptz  NOT NULL,
    deletion_date           timestamptz,
    pending_window_days     integer,
    current_version         integer      NOT NULL,
    current_key_material_id varchar(64)  NOT NULL,
    policy                  text         NOT NULL,
    tags                    text         NOT NULL,
    revision                bigint       NOT NULL
);

-- ListKeys: keyset pagination within one account and region.
CREATE INDEX kms_key_account_region_key ON kms_key (account_id, region, key_id);

CREATE TABLE key_material (
    key_material_id varchar(64) PRIMARY KEY,
    key_id          uuid        NOT NULL REFERENCES kms_key (key_id) ON DELETE CASCADE,
    version         integer     NOT NULL,
    wrapped         bytea       NOT NULL,
    created_at      timestamptz NOT NULL,
    UNIQUE (key_id, version)
);

CREATE TABLE kms_alias (
    alias_arn         varchar(400) PRIMARY KEY,
    account_id        varchar(12)  NOT NULL,
    region            varchar(32)  NOT NULL,
    alias_name        varchar(256) NOT NULL,
    target_key_id     uuid         NOT NULL REFERENCES kms_key (key_id) ON DELETE CASCADE,
    creation_date     timestamptz  NOT NULL,
    last_updated_date timestamptz  NOT NULL
);

-- ListAliases: keyset pagination by name within one account and region; KeyId filter.
CREATE INDEX kms_alias_account_region_name ON kms_alias (account_id, region, alias_name);
CREATE INDEX kms_alias_target ON kms_alias (target_key_id);

-- One row: a value only the configured root key opens (a wrong root key fails startup).
CREATE TABLE root_key_check (
    id          integer PRIMARY KEY CHECK (id = 1),
    check_value bytea   NOT NULL,
    created_at  timestamptz NOT NULL
);
