-- Keyhaven as an external key store for AWS KMS (issue 25, docs/xks.md): logical key stores and
-- the keys marked for them.
--
-- A key store is reached at its own URI prefix ('/keystores/<store_id>'); AWS KMS signs its calls
-- with the store's SigV4 credential, an ordinary access_key row whose principal is the store's own
-- principal (arn:<partition>:iam::<account>:user/keyhaven-xks/<name>), so credentials are stored,
-- wrapped and revoked like every other access key.
CREATE TABLE xks_key_store (
    store_id      uuid          PRIMARY KEY,
    account_id    varchar(12)   NOT NULL,
    name          varchar(64)   NOT NULL,
    uri_prefix    varchar(64)   NOT NULL UNIQUE,
    principal_arn varchar(2048) NOT NULL,
    creation_date timestamptz   NOT NULL,
    UNIQUE (account_id, name)
);

-- An XKS key is a Keyhaven symmetric key (kms_key, its material wrapped like any other) marked
-- for one key store, with the XKS key usage it answers for: any subset of ENCRYPT and DECRYPT,
-- stored as a comma-separated list ('' for none). A key store with keys cannot be deleted; a key's
-- row goes with the key.
CREATE TABLE xks_key (
    key_id    uuid        PRIMARY KEY REFERENCES kms_key (key_id) ON DELETE CASCADE,
    store_id  uuid        NOT NULL REFERENCES xks_key_store (store_id),
    key_usage varchar(32) NOT NULL
);
CREATE INDEX xks_key_store_keys ON xks_key (store_id);
