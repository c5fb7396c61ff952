#!/usr/bin/env bash
# The scaling checks (docs/performance.md), on the packaged server in local mode with a fresh
# data directory:
#   1. 100 real keys through CreateKey + EnableKeyRotation, then BENCH_KEYS (default 100,000) in
#      all: the rest bulk-copied from the first one in SQL (bench/load/Sql.java; rows as the
#      persistence code writes them, each with its own key id and material row). Faster than
#      100,000 CreateKey calls and equivalent for what is measured here.
#   2. ListKeys: every page of the account at Limit 1000 (keyset pagination) and the first and a
#      deep page at Limit 100, each timed from outside (curl).
#   3. The maintenance job: a run with nothing due among all keys, then with the 100 real keys'
#      next rotation date moved into the past (the job's own timing, logged by MaintenanceTimer).
#   4. Memory: the server's RSS and heap idle with all keys, and under 32-connection Encrypt load.
# Writes bench/target/results/scale-<UTC time>.json.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/load/server.sh
. bench/load/server.sh
KEYS=${BENCH_KEYS:-100000}
install_missing wrk wrk
install_missing python3 python3
build_if_stale
mkdir -p bench/target/results
trap stop_server EXIT
start_server -Dkms.maintenance.interval=10s \
  -Dquarkus.log.category.\"dev.keyhaven.kms.function.scheduled\".level=DEBUG
SQL=(env PGPASSWORD="$(cat "$DATA/pg-password")" java -cp "target/quarkus-app/lib/main/*" bench/load/Sql.java "$(pg_port)")
OUT=$DATA/scale.txt
note() { echo "$1=$2" >>"$OUT"; echo "bench: $1 = $2" >&2; }

echo "bench: creating 100 keys with automatic rotation..." >&2
REAL=()
for _ in $(seq 1 100); do
  id=$(kms_call "$KMS_TOKEN" CreateKey '{"Description":"bench scale"}' |
    sed 's/.*"KeyId":"\([^"]*\)".*/\1/')
  kms_call "$KMS_TOKEN" EnableKeyRotation "{\"KeyId\":\"$id\"}" >/dev/null
  REAL+=("$id")
done
echo "bench: copying to $KEYS keys in SQL..." >&2
"${SQL[@]}" \
  "CREATE TEMP TABLE t AS SELECT k.* FROM kms_key k, generate_series(1, $((KEYS - 100)))
     WHERE k.key_id = '${REAL[0]}'" \
  "UPDATE t SET key_id = gen_random_uuid(), current_key_material_id = 'bench-' || gen_random_uuid()" \
  "INSERT INTO kms_key SELECT * FROM t" \
  "CREATE TEMP TABLE m AS SELECT t.key_id AS new_key, t.current_key_material_id AS new_id, km.*
     FROM key_material km, t WHERE km.key_id = '${REAL[0]}'" \
  "UPDATE m SET key_id = new_key, key_material_id = new_id" \
  "ALTER TABLE m DROP COLUMN new_key, DROP COLUMN new_id" \
  "INSERT INTO key_material SELECT * FROM m" \
  "ANALYZE kms_key" "ANALYZE key_material" \
  "SELECT count(*) FROM kms_key" 2>&1 | tail -1 >&2
note keys "$("${SQL[@]}" "SELECT count(*) FROM kms_key" 2>/dev/null)"

# 2. ListKeys, every page at Limit 1000, as the account root.
echo "bench: ListKeys, every page..." >&2
marker="" times=()
deep_marker=""
while :; do
  body="{\"Limit\":1000${marker:+,\"Marker\":\"$marker\"}}"
  start=$(date +%s%N)
  answer=$(kms_call "$KMS_TOKEN" ListKeys "$body")
  times+=($((($(date +%s%N) - start) / 1000)))
  marker=$(sed -n 's/.*"NextMarker":"\([^"]*\)".*/\1/p' <<<"$answer")
  [[ ${#times[@]} -eq 90 ]] && deep_marker=$marker
  [[ -n $marker ]] || break
done
note listkeys_1000_pages "${#times[@]}"
note listkeys_1000_us "$(IFS=,; echo "${times[*]}")"
limit100() { # marker
  local start
  start=$(date +%s%N)
  kms_call "$KMS_TOKEN" ListKeys "{\"Limit\":100${1:+,\"Marker\":\"$1\"}}" >/dev/null
  echo $((($(date +%s%N) - start) / 1000))
}
first=() deep=()
for _ in 1 2 3 4 5; do first+=("$(limit100 "")"); deep+=("$(limit100 "$deep_marker")"); done
note listkeys_100_first_us "$(IFS=,; echo "${first[*]}")"
note listkeys_100_deep_us "$(IFS=,; echo "${deep[*]}")"

# 3. The maintenance job: nothing due, then the 100 real keys due.
wait_log() { # pattern → the first matching line after the current end of the log
  local from
  from=$(wc -l <"$DATA/server.log")
  for _ in $(seq 1 120); do
    line=$(tail -n +"$((from + 1))" "$DATA/server.log" | grep -m1 "$1" || true)
    [[ -n $line ]] && { echo "$line"; return; }
    sleep 1
  done
  die "no log line matching $1"
}
note job_nothing_due "$(wait_log 'maintenance: nothing due' | sed 's/.*maintenance: //')"
ids=$(printf "'%s'," "${REAL[@]}")
"${SQL[@]}" "UPDATE kms_key SET next_rotation_date = now() - interval '1 minute'
  WHERE key_id IN (${ids%,})" 2>/dev/null
note job_100_due "$(wait_log 'maintenance: rotated' | sed 's/.*maintenance: //')"
note job_after "$(wait_log 'maintenance: nothing due' | sed 's/.*maintenance: //')"

# 4. Memory: idle with every key, then under Encrypt load (32 connections, JWT).
note idle_rss_mib "$(($(rss_kib) / 1024))"
note idle_heap "$(heap_info)"
python3 bench/load/requests.py setup --endpoint "$KMS_ENDPOINT" --token "$KMS_TOKEN" \
  --out "$DATA/keys.json"
BENCH_TOKEN=$(KMS_DATA_DIR=$DATA ./kms token --principal "arn:aws:iam::$KMS_ACCOUNT_ID:role/App" \
  --ttl 1h)
export BENCH_TOKEN
python3 bench/load/requests.py pool --case Encrypt256 --auth jwt --keys "$DATA/keys.json" \
  --endpoint "$KMS_ENDPOINT" --out "$DATA/pool.tsv"
BENCH_RESULT=$DATA/wrk.json wrk -t2 -c32 -d40s --timeout 10s -s bench/load/kms.lua \
  "$KMS_ENDPOINT" -- "$DATA/pool.tsv" >/dev/null &
wrk_pid=$!
peak=0
for _ in $(seq 1 36); do
  sleep 1
  rss=$(rss_kib)
  ((rss > peak)) && peak=$rss
done
note load_heap "$(heap_info)"
wait "$wrk_pid"
note load_peak_rss_mib "$((peak / 1024))"
note load_wrk "$(cat "$DATA/wrk.json")"
note load_average "$(cut -d' ' -f1-3 /proc/loadavg)"

RESULT=bench/target/results/scale-$(date -u +%Y%m%dT%H%M%SZ).json
python3 - "$OUT" >"$RESULT" <<'EOF'
import json, sys
print(json.dumps(dict(line.rstrip("\n").split("=", 1) for line in open(sys.argv[1])), indent=1))
EOF
echo "bench: results in $RESULT" >&2
