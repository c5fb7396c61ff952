-- Keyhaven schema v10: rows that decide who may do what are bound to their contents under the
-- root key (issue 16, item 6), so a row edited outside Keyhaven is refused, not obeyed.
--
-- Access keys: the wrapped secret binds the account and principal.
--
-- From this version the AAD of access_key.wrapped_secret is access-key:v2:<id, account id,
-- principal ARN> (AccessKeyRepository.StoredAccessKey.purpose), so a row whose account_id or
-- principal_arn is changed outside Keyhaven no longer unwraps and the key is refused. The rows written before it bound only
-- the access key id: the server re-wraps each of them, once, in the transaction that applies this
-- script (AccessKeyRebinding, run by SchemaMigrator right after it).
COMMENT ON COLUMN access_key.wrapped_secret IS
    'AES-256-GCM under the root key; AAD binds access key id, account id and principal ARN (V10)';

-- Identity policies: mac = KeyMaterialCrypto.bindingMac("principal-policy:v1", principal_arn,
-- account_id, policy), a MAC under a root-derived key. A row without a matching MAC (edited or
-- inserted outside Keyhaven) is read as a policy that denies everything. The rows that exist get
-- their MAC in the same transaction (PrincipalPolicyBinding, the Java step of this script).
ALTER TABLE principal_policy ADD COLUMN mac bytea;

-- Grants: mac = bindingMac("grant:v1", every column but creation_date, as stored). A row without
-- a matching MAC allows nothing and is in no answer. Existing rows get theirs in the same
-- transaction (GrantBinding).
ALTER TABLE kms_grant ADD COLUMN mac bytea;
