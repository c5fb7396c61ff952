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
run=(java bench/XksLatency.java "$KMS_ENDPOINT" "$uri_path" "$access" "$secret" "$AWS_REGION" "$key")
if ! command -v wrk >/dev/null; then
  # JDK only: a short warm-up (the JIT), then the measured run. This client needs about as much CPU
  # as the server, so on a small machine it measures both.
  "${run[@]}" 5 "$connections" 1000000 >/dev/null
  exec "${run[@]}" "$seconds" "$connections" "$limit"
fi
# With wrk (apt-get install wrk): one request signed once and replayed on every connection (see
# XksLatency.wrkScript); 10 s of warm-up, then the measured run.
script=$(mktemp --suffix=.lua)
trap 'rm -f "$script"' EXIT
"${run[@]}" 0 1 0 --wrk-script >"$script"
cat >>"$script" <<'LUA'
done = function(summary, latency, requests)
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("%d %d %.3f %.3f %.3f %.3f %d\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    latency.max / 1000, bad))
end
LUA
wrk -t2 -c"$connections" -d10s -s "$script" "$KMS_ENDPOINT" >/dev/null
read -r requests micros p50 p99 p999 max bad < <(wrk -t2 -c"$connections" -d"${seconds}s" -s "$script" "$KMS_ENDPOINT" | tail -1)
printf 'xks-latency (wrk): %d Encrypt requests, %d connections, %d s: %.0f requests/s; p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms; %d not 200\n' \
  "$requests" "$connections" "$seconds" "$(python3 -c "print($requests / ($micros / 1e6))")" "$p50" "$p99" "$p999" "$max" "$bad"
if (( bad > 0 )) || ! python3 -c "import sys; sys.exit(0 if $p99 < $limit else 1)"; then
  echo "xks-latency: FAIL (every answer 200 and p99 under $limit ms required)" >&2
  exit 1
fi
