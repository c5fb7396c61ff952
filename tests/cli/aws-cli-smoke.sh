#!/usr/bin/env bash
# AWS CLI against a running Keyhaven, signing with the dev access key from dev.env (SigV4):
# create-key, create-alias, encrypt/decrypt round trip with an encryption context, generate-data-key,
# list-keys paging, a typed error, and the local-mode test/test credentials. Exits non-zero on the
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

# Local mode accepts the well-known test/test pair as the dev account's root (LocalStack-style).
test_keys=$(AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
  aws --endpoint-url "$KMS_ENDPOINT" --region "$KMS_REGION" --output json kms list-keys --query 'length(Keys)')
[[ $test_keys -ge 1 ]] || fail "list-keys with test/test listed $test_keys keys"

echo "aws-cli-smoke: 7 passed, 0 failed"
