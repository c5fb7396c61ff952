#!/usr/bin/env bash
# AWS CLI against a running Keyhaven, signing with the dev access key from dev.env (SigV4):
# create-key, create-alias, encrypt/decrypt round trip with an encryption context, a wrong context
# refused, generate-data-key, list-keys paging (one page of one key at a time through the raw API:
# --no-paginate, --limit, --marker), a typed error, sign/verify with an ECC key (and a bad
# signature's typed error), generate-mac/verify-mac, and the local-mode test/test credentials.
# Every check runs and reports; the summary counts them. Exits non-zero if any failed or if fewer
# than all of them passed.
# Usage: tests/cli/aws-cli-smoke.sh <data-dir>   (the directory holding dev.env)
set -uo pipefail
set -a; . "$1/dev.env"; set +a
export AWS_PAGER="" AWS_EC2_METADATA_DISABLED=true
kms() { aws --endpoint-url "$KMS_ENDPOINT" --region "$KMS_REGION" --output text kms "$@"; }
kms_json() { aws --endpoint-url "$KMS_ENDPOINT" --region "$KMS_REGION" --output json kms "$@"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Each check is a function that returns non-zero (through fail) on the first mismatch. They run
# in order in this shell (later ones use what earlier ones created), each to its own log.
fail() { echo "$*" >&2; return 1; }
passed=0
failed=0
checks=0
check() { # name function
  checks=$((checks + 1))
  if "$2" >"$work/check.log" 2>&1; then
    passed=$((passed + 1))
    echo "aws-cli-smoke: ok   $1"
  else
    failed=$((failed + 1))
    echo "aws-cli-smoke: FAIL $1: $(tail -5 "$work/check.log")" >&2
  fi
}

key="" alias=""
create_key_and_alias() {
  key=$(kms create-key --description aws-cli-smoke --query KeyMetadata.KeyId) || return 1
  [[ $key =~ ^[0-9a-f-]{36}$ ]] || fail "create-key returned '$key'" || return 1
  alias="alias/cli-smoke-$key"
  kms create-alias --alias-name "$alias" --target-key-id "$key"
}

encrypt_decrypt_roundTrip() {
  printf 'hello from the aws cli' >"$work/plain"
  kms encrypt --key-id "$alias" --plaintext "fileb://$work/plain" \
    --encryption-context purpose=smoke --query CiphertextBlob | base64 -d >"$work/blob" || return 1
  kms decrypt --ciphertext-blob "fileb://$work/blob" --encryption-context purpose=smoke \
    --query Plaintext | base64 -d >"$work/back" || return 1
  cmp -s "$work/plain" "$work/back" || fail "decrypt did not return the plaintext"
}

decrypt_wrongContext_invalidCiphertext() {
  if kms decrypt --ciphertext-blob "fileb://$work/blob" --encryption-context purpose=other \
    >/dev/null 2>"$work/err"; then
    fail "decrypt with a wrong encryption context succeeded"
    return
  fi
  grep -q InvalidCiphertextException "$work/err" || fail "wrong context: $(cat "$work/err")"
}

generateDataKey_aes256_32Bytes() {
  local bytes
  bytes=$(kms generate-data-key --key-id "$key" --key-spec AES_256 --query Plaintext \
    | base64 -d | wc -c)
  [[ $bytes -eq 32 ]] || fail "generate-data-key returned $bytes bytes"
}

# The server's own paging, not the CLI's: one call per page (--no-paginate), Limit 1, the
# NextMarker of the first page as the Marker of the second. (The CLI's automatic paging fetches
# every page itself and would hide a server that ignored Limit or Marker.)
listKeys_limitAndMarker_pagesOneKeyAtATime() {
  local page1 page2 first second marker
  kms create-key --description aws-cli-smoke-second-page >/dev/null || return 1 # two pages at least
  page1=$(kms_json list-keys --limit 1 --no-paginate) || return 1
  read -r n first marker truncated < <(python3 -c '
import json, sys
d = json.load(sys.stdin)
print(len(d["Keys"]), d["Keys"][0]["KeyId"] if d["Keys"] else "-", d.get("NextMarker", "-"),
      d.get("Truncated"))' <<<"$page1") || return 1
  [[ $n -eq 1 && $truncated == True && $marker != - ]] \
    || fail "list-keys --limit 1: $n keys, Truncated $truncated, NextMarker $marker" || return 1
  page2=$(kms_json list-keys --limit 1 --marker "$marker" --no-paginate) || return 1
  read -r n second < <(python3 -c '
import json, sys
d = json.load(sys.stdin)
print(len(d["Keys"]), d["Keys"][0]["KeyId"] if d["Keys"] else "-")' <<<"$page2") || return 1
  [[ $n -eq 1 && $second != "$first" ]] \
    || fail "second page: $n keys, $second after $first"
}

describeKey_missingAlias_notFound() {
  if kms describe-key --key-id alias/does-not-exist >/dev/null 2>"$work/err"; then
    fail "describe-key of a missing alias succeeded"
    return
  fi
  grep -q NotFoundException "$work/err" || fail "missing alias: $(cat "$work/err")"
}

# An asymmetric signing key: sign a file, verify it; a tampered message fails with
# KMSInvalidSignatureException (AWS never answers SignatureValid=false).
signer=""
signVerify_eccKey_valid() {
  local valid
  signer=$(kms create-key --key-spec ECC_NIST_P256 --key-usage SIGN_VERIFY \
    --query KeyMetadata.KeyId) || return 1
  kms sign --key-id "$signer" --message "fileb://$work/plain" --signing-algorithm ECDSA_SHA_256 \
    --query Signature | base64 -d >"$work/sig" || return 1
  valid=$(kms verify --key-id "$signer" --message "fileb://$work/plain" \
    --signing-algorithm ECDSA_SHA_256 --signature "fileb://$work/sig" --query SignatureValid) \
    || return 1
  [[ $valid == True ]] || fail "verify answered '$valid'"
}

verify_wrongSignature_invalidSignature() {
  if kms verify --key-id "$signer" --message "fileb://$work/back" \
    --signing-algorithm ECDSA_SHA_256 --signature "fileb://$work/blob" >/dev/null 2>"$work/err"; then
    fail "verify of a wrong signature succeeded"
    return
  fi
  grep -q KMSInvalidSignatureException "$work/err" || fail "wrong signature: $(cat "$work/err")"
}

generateMac_verifyMac_hmacKey() {
  local mac_key mac_valid
  mac_key=$(kms create-key --key-spec HMAC_256 --key-usage GENERATE_VERIFY_MAC \
    --query KeyMetadata.KeyId) || return 1
  kms generate-mac --key-id "$mac_key" --mac-algorithm HMAC_SHA_256 \
    --message "fileb://$work/plain" --query Mac | base64 -d >"$work/mac" || return 1
  mac_valid=$(kms verify-mac --key-id "$mac_key" --mac-algorithm HMAC_SHA_256 \
    --message "fileb://$work/plain" --mac "fileb://$work/mac" --query MacValid) || return 1
  [[ $mac_valid == True ]] || fail "verify-mac answered '$mac_valid'"
}

# Local mode accepts the well-known test/test pair as the dev account's root (LocalStack-style).
listKeys_testTestCredentials_accepted() {
  local test_keys
  test_keys=$(AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test kms_json list-keys \
    --query 'length(Keys)') || return 1
  [[ $test_keys -ge 1 ]] || fail "list-keys with test/test listed $test_keys keys"
}

check "create-key, create-alias" create_key_and_alias
check "encrypt/decrypt with an encryption context" encrypt_decrypt_roundTrip
check "decrypt with a wrong context: InvalidCiphertextException" decrypt_wrongContext_invalidCiphertext
check "generate-data-key AES_256" generateDataKey_aes256_32Bytes
check "list-keys paged by the server (Limit, Marker)" listKeys_limitAndMarker_pagesOneKeyAtATime
check "describe-key of a missing alias: NotFoundException" describeKey_missingAlias_notFound
check "sign/verify with an ECC key" signVerify_eccKey_valid
check "verify of a wrong signature: KMSInvalidSignatureException" verify_wrongSignature_invalidSignature
check "generate-mac/verify-mac" generateMac_verifyMac_hmacKey
check "test/test credentials" listKeys_testTestCredentials_accepted

echo "aws-cli-smoke: $passed passed, $failed failed (of $checks)"
[[ $failed -eq 0 && $passed -eq $checks && $checks -gt 0 ]]
