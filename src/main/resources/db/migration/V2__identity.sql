-- Keyhaven schema v2: access keys (SigV4) and identity policies (the IAM stand-in).

-- Secret access keys are stored only wrapped under the root key (AES-256-GCM, AAD binds the
-- access key id), never in plaintext.
CREATE TABLE access_key (
    access_key_id  varchar(32)  PRIMARY KEY,
    account_id     varchar(12)  NOT NULL,
    principal_arn  varchar(2048) NOT NULL,
    wrapped_secret bytea        NOT NULL,
    create_date    timestamptz  NOT NULL
);
CREATE INDEX access_key_account_principal ON access_key (account_id, principal_arn);

-- Identity-based policies, one document per principal (KeyhavenAdmin.PutPrincipalPolicy).
CREATE TABLE principal_policy (
    principal_arn varchar(2048) PRIMARY KEY,
    account_id    varchar(12)   NOT NULL,
    policy        text          NOT NULL,
    update_date   timestamptz   NOT NULL
);
CREATE INDEX principal_policy_account ON principal_policy (account_id);
