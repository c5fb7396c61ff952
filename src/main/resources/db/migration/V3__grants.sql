-- Keyhaven schema v3: grants (AWS KMS CreateGrant / ListGrants / RetireGrant / RevokeGrant).
-- A key's grants are deleted with the key. Grant tokens are not stored: a token names its grant.

CREATE TABLE kms_grant (
    grant_id           varchar(64)   PRIMARY KEY,
    key_id             uuid          NOT NULL REFERENCES kms_key (key_id) ON DELETE CASCADE,
    key_arn            varchar(128)  NOT NULL,
    name               varchar(256),
    creation_date      timestamptz   NOT NULL,
    grantee            varchar(256)  NOT NULL,
    retiring_principal varchar(256),
    issuing_account    varchar(12)   NOT NULL,
    operations         text          NOT NULL,
    constraint_equals  text,
    constraint_subset  text
);

-- ListGrants (keyset pagination by grant id within a key); per-key count and name lookup.
CREATE INDEX kms_grant_key ON kms_grant (key_id, grant_id);
-- ListRetirableGrants across keys.
CREATE INDEX kms_grant_retiring ON kms_grant (retiring_principal, grant_id);
-- Authorization: the caller's grants on a key.
CREATE INDEX kms_grant_grantee ON kms_grant (grantee, key_id);
