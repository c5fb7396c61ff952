#!/usr/bin/env bash
# The XKS proxy API with curl's own SigV4 (curl 7.75+, as the spec's Appendix D does it) against a
# running Keyhaven (docs/xks.md): KeyhavenAdmin.CreateXksKeyStore and CreateXksKey signed with the
# dev access key (service kms), then GetHealthStatus, GetKeyMetadata, Encrypt (with AAD and the
# integrity value) and Decrypt signed with the key store's credential under both service names
# (kms-xks-proxy, as AWS KMS signs, and kms-xks), and the store's credential refused for the
# service kms and with a wrong secret. Exits non-zero on the first mismatch.
# Usage: tests/cli/xks-curl-smoke.sh <data-dir>   (the directory holding dev.env)
# Environment (stage 6c, ./kms serve over TLS): XKS_CURL_ARGS, more curl arguments for the XKS
# calls only (e.g. --http1.1 --cert client.crt --key client.key); XKS_SMOKE_STATE, a file the
# store's path, credential and key are written to (shell assignments) for further checks.
set -euo pipefail
set -a; . "$1/dev.env"; set +a
read -r -a xks_args <<<"${XKS_CURL_ARGS:-}"
fail() { echo "xks-curl-smoke: FAIL $*" >&2; exit 1; }
json() { python3 -c 'import json,sys; v=json.load(sys.stdin); print(eval("v"+sys.argv[1]))' "$1"; }
admin() { # operation json
  curl -sS --aws-sigv4 "aws:amz:$AWS_REGION:kms" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
    -H "Content-Type: application/x-amz-json-1.1" -H "X-Amz-Target: KeyhavenAdmin.$1" \
    --data "$2" "$KMS_ENDPOINT/"
}
xks() { # service path json -> body, then the status on the last line
  curl -sS --aws-sigv4 "aws:amz:$AWS_REGION:$1" --user "$access:${wrong_secret:-$secret}" "${xks_args[@]}" \
    -H "Content-Type: application/json" -w '\n%{http_code}' --data "$3" "$KMS_ENDPOINT$uri_path/$2"
}

store=$(admin CreateXksKeyStore "{\"Name\":\"curl-smoke-$RANDOM$RANDOM\"}")
{ read -r uri_path; read -r access; read -r secret; read -r name; } < <(python3 -c 'import json,sys
v = json.loads(sys.argv[1])
print("\n".join(v[m] for m in ("XksProxyUriPath", "AccessKeyId", "SecretAccessKey", "Name")))' "$store") \
  || fail "CreateXksKeyStore: $store"
[[ -n $secret ]] || fail "CreateXksKeyStore: $store"
key=$(admin CreateXksKey "{\"KeyStoreName\":\"$name\",\"KeyUsage\":[\"ENCRYPT\",\"DECRYPT\"]}" | json '["KeyId"]') \
  || fail "CreateXksKey"
echo "xks-curl-smoke: ok   key store $name at $uri_path, key $key"
[[ -z ${XKS_SMOKE_STATE:-} ]] || printf 'uri_path=%q\naccess=%q\nsecret=%q\nkey=%q\nname=%q\n' \
  "$uri_path" "$access" "$secret" "$key" "$name" >"$XKS_SMOKE_STATE"

metadata="{\"awsPrincipalArn\":\"arn:aws:iam::123456789012:user/Alice\",\"kmsKeyArn\":\"arn:aws:kms:$AWS_REGION:$KMS_ACCOUNT_ID:key/$key\",\"kmsOperation\":\"Encrypt\",\"kmsRequestId\":\"4112f4d6-db54-4af4-ae30-c55a22a8dfae\"}"
for service in kms-xks-proxy kms-xks; do
  answer=$(xks "$service" health '{"requestMetadata":{"kmsRequestId":"1124f4d6","kmsOperation":"KmsHealthCheck"}}')
  [[ ${answer##*$'\n'} == 200 && $answer == *'"healthStatus":"ACTIVE"'* ]] || fail "health ($service): $answer"
  answer=$(xks "$service" "keys/$key/metadata" "{\"requestMetadata\":$metadata}")
  [[ ${answer##*$'\n'} == 200 && $answer == *'"keyStatus":"ENABLED"'* ]] || fail "metadata ($service): $answer"
  sealed=$(xks "$service" "keys/$key/encrypt" "{\"requestMetadata\":$metadata,\"plaintext\":\"SGVsbG8gV29ybGQh\",\"additionalAuthenticatedData\":\"cHJvamVjdD1uaWxl\",\"encryptionAlgorithm\":\"AES_GCM\",\"ciphertextDataIntegrityValueAlgorithm\":\"SHA_256\"}")
  [[ ${sealed##*$'\n'} == 200 && $sealed == *ciphertextDataIntegrityValue* ]] || fail "encrypt ($service): $sealed"
  body=${sealed%$'\n'*}
  request=$(python3 -c 'import json,sys; e=json.loads(sys.argv[1]); print(json.dumps({"requestMetadata": json.loads(sys.argv[2]), "ciphertext": e["ciphertext"], "ciphertextMetadata": e["ciphertextMetadata"], "initializationVector": e["initializationVector"], "authenticationTag": e["authenticationTag"], "additionalAuthenticatedData": "cHJvamVjdD1uaWxl", "encryptionAlgorithm": "AES_GCM"}))' "$body" "$metadata")
  answer=$(xks "$service" "keys/$key/decrypt" "$request")
  [[ ${answer##*$'\n'} == 200 && $answer == *'"plaintext":"SGVsbG8gV29ybGQh"'* ]] || fail "decrypt ($service): $answer"
  echo "xks-curl-smoke: ok   GetHealthStatus, GetKeyMetadata, Encrypt, Decrypt signed for $service"
done
answer=$(xks kms health '{"requestMetadata":{"kmsRequestId":"1","kmsOperation":"KmsHealthCheck"}}')
[[ ${answer##*$'\n'} == 401 && $answer == *AuthenticationFailedException* ]] || fail "service kms accepted: $answer"
echo "xks-curl-smoke: ok   the service name kms refused (AuthenticationFailedException)"
answer=$(wrong_secret=$(head -c 32 /dev/urandom | base64) xks kms-xks-proxy health '{"requestMetadata":{"kmsRequestId":"2","kmsOperation":"KmsHealthCheck"}}')
[[ ${answer##*$'\n'} == 401 && $answer == *AuthenticationFailedException* ]] || fail "a wrong secret accepted: $answer"
echo "xks-curl-smoke: ok   the store's access key with a wrong secret refused (AuthenticationFailedException)"
