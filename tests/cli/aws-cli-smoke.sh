#!/usr/bin/env bash
# AWS CLI against a running Keyhaven, signing with the dev access key from dev.env (SigV4):
# create-key, create-alias, encrypt/decrypt round trip with an encryption context, generate-data-key,
# list-keys paging, a typed error, sign/verify with an ECC key (and a bad signature's typed error),
# generate-mac/verify-mac, and the local-mode test/test credentials. Exits non-zero on the
# first mismatch.
# Usage: tests/cli/aws-cli-smoke.sh <data-dir>   (the directory holding dev.env)
set -euo pipefail
set -a; . "$1/dev.env"; set +a
export AWS_PAGER="" AWS_EC2_METADATA_DISABLED=true
fail() { echo "aws-cli-smoke: FAIL: $*" >&2; exit 1; }
kms() { aws --endpoint-url "$KMS_ENDPOINT" --region "$KMS_REGION" --output text kms "$@"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

key=$(kms create-key --description aws-cli-smoke --query KeyMetadata.KeyId)
[[ $key =~ ^[0-9a-f-]{36}$ ]] || fail "create-key returned '$key'"
alias="alias/cli-smoke-$key"
kms create-alias --alias-name "$alias" --target-key-id "$key"

printf 'hello from the aws cli' > "$work/plain"
kms encrypt --key-id "$alias" --plaintext "fileb://$work/plain" --encryption-context purpose=smoke \
  --query CiphertextBlob | base64 -d > "$work/blob"
kms decrypt --ciphertext-blob "fileb://$work/blob" --encryption-context purpose=smoke \
  --query Plaintext | base64 -d > "$work/back"
cmp -s "$work/plain" "$work/back" || fail "decrypt did not return the plaintext"

if kms decrypt --ciphertext-blob "fileb://$work/blob" --encryption-context purpose=other \
  >/dev/null 2>"$work/err"; then
  fail "decrypt with a wrong encryption context succeeded"
fi
grep -q InvalidCiphertextException "$work/err" || fail "wrong context: $(cat "$work/err")"

bytes=$(kms generate-data-key --key-id "$key" --key-spec AES_256 --query Plaintext | base64 -d | wc -c)
[[ $bytes -eq 32 ]] || fail "generate-data-key returned $bytes bytes"

listed=$(aws --endpoint-url "$KMS_ENDPOINT" --region "$KMS_REGION" --output json kms list-keys \
  --page-size 1 --query 'length(Keys)')
[[ $listed -ge 1 ]] || fail "list-keys (paged by the CLI) listed $listed keys"

if kms describe-key --key-id alias/does-not-exist >/dev/null 2>"$work/err"; then
  fail "describe-key of a missing alias succeeded"
fi
grep -q NotFoundException "$work/err" || fail "missing alias: $(cat "$work/err")"

# An asymmetric signing key: sign a file, verify it; a tampered message fails with
# KMSInvalidSignatureException (AWS never answers SignatureValid=false).
signer=$(kms create-key --key-spec ECC_NIST_P256 --key-usage SIGN_VERIFY --query KeyMetadata.KeyId)
kms sign --key-id "$signer" --message "fileb://$work/plain" --signing-algorithm ECDSA_SHA_256 \
  --query Signature | base64 -d > "$work/sig"
valid=$(kms verify --key-id "$signer" --message "fileb://$work/plain" --signing-algorithm ECDSA_SHA_256 \
  --signature "fileb://$work/sig" --query SignatureValid)
[[ $valid == True ]] || fail "verify answered '$valid'"
if kms verify --key-id "$signer" --message "fileb://$work/back" --signing-algorithm ECDSA_SHA_256 \
  --signature "fileb://$work/blob" >/dev/null 2>"$work/err"; then
  fail "verify of a wrong signature succeeded"
fi
grep -q KMSInvalidSignatureException "$work/err" || fail "wrong signature: $(cat "$work/err")"

# An HMAC key: generate-mac, verify-mac.
mac_key=$(kms create-key --key-spec HMAC_256 --key-usage GENERATE_VERIFY_MAC --query KeyMetadata.KeyId)
kms generate-mac --key-id "$mac_key" --mac-algorithm HMAC_SHA_256 --message "fileb://$work/plain" \
  --query Mac | base64 -d > "$work/mac"
mac_valid=$(kms verify-mac --key-id "$mac_key" --mac-algorithm HMAC_SHA_256 --message "fileb://$work/plain" \
  --mac "fileb://$work/mac" --query MacValid)
[[ $mac_valid == True ]] || fail "verify-mac answered '$mac_valid'"

# Local mode accepts the well-known test/test pair as the dev account's root (LocalStack-style).
test_keys=$(AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
  aws --endpoint-url "$KMS_ENDPOINT" --region "$KMS_REGION" --output json kms list-keys --query 'length(Keys)')
[[ $test_keys -ge 1 ]] || fail "list-keys with test/test listed $test_keys keys"

echo "aws-cli-smoke: 10 passed, 0 failed"
