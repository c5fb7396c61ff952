-- Keyhaven schema v10: an access key's wrapped secret binds its account and principal.
--
-- From this version the AAD of access_key.wrapped_secret is access-key:v2:<id, account id,
-- principal ARN> (AccessKeyRepository.StoredAccessKey.purpose), so a row whose account_id or principal_arn is changed
-- outside Keyhaven no longer unwraps and the key is refused. The rows written before it bound only
-- the access key id: the server re-wraps each of them, once, in the transaction that applies this
-- script (AccessKeyRebinding, run by SchemaMigrator right after it). No column changes.
COMMENT ON COLUMN access_key.wrapped_secret IS
    'AES-256-GCM under the root key; AAD binds access key id, account id and principal ARN (V10)';
