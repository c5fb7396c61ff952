#!/usr/bin/env bash
# XKS proxy API latency under load, on demand (docs/xks.md; not part of ./kms test): against a
# running Keyhaven (./kms dev), creates a key store and an XKS key with curl (signed with the dev
# access key), then bench/XksLatency.java sends signed XKS Encrypt requests on N connections for
# S seconds and requires every answer 200 and p99 under the limit (AWS KMS's timeout is 250 ms;
# default limit 100 ms, "well under").
#   bench/xks-latency.sh <data-dir> [seconds=20] [connections=32] [p99-limit-ms=100]
set -euo pipefail
cd "$(dirname "$0")/.."
set -a; . "$1/dev.env"; set +a
seconds=${2:-20} connections=${3:-32} limit=${4:-100}
admin() {
  curl -sS --aws-sigv4 "aws:amz:$AWS_REGION:kms" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
    -H "Content-Type: application/x-amz-json-1.1" -H "X-Amz-Target: KeyhavenAdmin.$1" \
    --data "$2" "$KMS_ENDPOINT/"
}
field() { python3 -c 'import json,sys; v=json.loads(sys.argv[1]); print(eval("v"+sys.argv[2]))' "$@"; }
# One key store per data directory, "xks-latency" (an account has at most 10): made on the first
# run; on later runs a fresh credential for it (its secret is returned only once) and its key.
name=xks-latency
store=$(admin CreateXksKeyStore "{\"Name\":\"$name\"}")
if [[ $store == *AlreadyExistsException* ]]; then
  store=$(admin RotateXksKeyStoreCredential "{\"Name\":\"$name\",\"RevokePrevious\":true}")
  uri_path=$(admin ListXksKeyStores '{}' | python3 -c 'import json,sys
print(next(s["XksProxyUriPath"] for s in json.load(sys.stdin)["KeyStores"] if s["Name"] == sys.argv[1]))' "$name")
  key=$(field "$(admin ListXksKeys "{\"KeyStoreName\":\"$name\"}")" "['Keys'][0]['KeyId']")
else
  uri_path=$(field "$store" "['XksProxyUriPath']")
  key=$(admin CreateXksKey "{\"KeyStoreName\":\"$name\",\"KeyUsage\":[\"ENCRYPT\",\"DECRYPT\"]}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["KeyId"])')
fi
access=$(field "$store" "['AccessKeyId']")
secret=$(field "$store" "['SecretAccessKey']")
# A short warm-up (the JIT), then the measured run.
java bench/XksLatency.java "$KMS_ENDPOINT" "$uri_path" "$access" "$secret" "$AWS_REGION" "$key" 5 "$connections" 1000000 >/dev/null
java bench/XksLatency.java "$KMS_ENDPOINT" "$uri_path" "$access" "$secret" "$AWS_REGION" "$key" "$seconds" "$connections" "$limit"
