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
store=$(admin CreateXksKeyStore "{\"Name\":\"latency-$RANDOM$RANDOM\"}")
{ read -r uri_path; read -r access; read -r secret; read -r name; } < <(python3 -c 'import json,sys
v = json.loads(sys.argv[1])
print("\n".join(v[m] for m in ("XksProxyUriPath", "AccessKeyId", "SecretAccessKey", "Name")))' "$store")
key=$(admin CreateXksKey "{\"KeyStoreName\":\"$name\",\"KeyUsage\":[\"ENCRYPT\",\"DECRYPT\"]}" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["KeyId"])')
# A short warm-up (the JIT), then the measured run.
java bench/XksLatency.java "$KMS_ENDPOINT" "$uri_path" "$access" "$secret" "$AWS_REGION" "$key" 5 "$connections" 1000000 >/dev/null
java bench/XksLatency.java "$KMS_ENDPOINT" "$uri_path" "$access" "$secret" "$AWS_REGION" "$key" "$seconds" "$connections" "$limit"
