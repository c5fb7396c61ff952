#!/usr/bin/env bash
# The fleet benchmark end to end (docs/performance.md, "Fleet, end to end"): K Keyhaven server
# processes on one PostgreSQL (durable commits, one root key), each with group commit off
# (kms.audit.max-batch=1: every request its own audit transaction, as in a Lambda environment) and
# driven by its own wrk with 2 connections and a JWT of its own dev issuer, all at once. Every
# server leases its own audit chain; afterwards every answer must have been 200 and the trail
# must verify. Prints requests/s per K and writes bench/target/results/servers-<UTC time>.jsonl.
#   bench/servers.sh                       K = 1 and 4, Encrypt256, 10 s each after all servers
#                                          warmed for 30 s
#   SERVERS_K="1 2 4" SERVERS_SECONDS=20 SERVERS_CASE=GenerateDataKey bench/servers.sh
SCENARIO=servers
. "$(dirname "$0")/../tests/reliability/lib.sh"
cd "$REPO"
KS=${SERVERS_K:-"1 4"}
SECONDS_EACH=${SERVERS_SECONDS:-10}
WARMUP=${SERVERS_WARMUP:-30}
CASE=${SERVERS_CASE:-Encrypt256}
RESULT=$REPO/bench/target/results/servers-$(date -u +%Y%m%dT%H%M%SZ).jsonl
mkdir -p "$REPO/bench/target/results"
command -v wrk >/dev/null || fail "wrk is required (Debian package wrk)"
ensure_server_jar
pg_setup
pg_start
max=0
for k in $KS; do ((k > max)) && max=$k; done
names=()
for i in $(seq 1 "$max"); do names+=("s$i"); done
root_key_for "${names[@]}"
for name in "${names[@]}"; do
  dir=$WORK/$name port=$(free_port)
  SERVER_PORT[$name]=$port
  QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://127.0.0.1:$PG_PORT/postgres \
    QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=unused \
    java -Dorg.bouncycastle.fips.approved_only=true -Xmx256m -Dkms.data-dir="$dir" \
    -Dquarkus.http.port="$port" -Dkms.region=us-east-1 -Dkms.dev.account-id=111122223333 \
    -Dkms.audit.max-batch=1 -Dquarkus.log.category.\"keyhaven.audit\".level=OFF \
    -jar "$APP_JAR" >>"$dir/server.log" 2>&1 &
  SERVER_PIDS[$name]=$!
  # One at a time: the first applies the migrations.
  server_wait "$name"
done
say "${#names[@]} servers on one PostgreSQL, group commit off"
endpoint() { (. "$WORK/$1/dev.env"; echo "$KMS_ENDPOINT"); }
python3 bench/load/requests.py setup --endpoint "$(endpoint s1)" \
  --token "$(. "$WORK/s1/dev.env"; echo "$KMS_TOKEN")" --out "$WORK/keys.json"
app=arn:aws:iam::111122223333:role/App
for name in "${names[@]}"; do
  BENCH_TOKEN=$(KMS_DATA_DIR=$WORK/$name ./kms token --principal "$app" --ttl 2h) \
    python3 bench/load/requests.py pool --case "$CASE" --auth jwt --keys "$WORK/keys.json" \
    --endpoint "$(endpoint "$name")" --out "$WORK/$name.tsv"
done

run() { # k seconds record?
  local k=$1 seconds=$2 i pids=() total=0 errors=0 n
  for i in $(seq 1 "$k"); do
    BENCH_RESULT=$WORK/wrk-s$i.json wrk -t1 -c2 -d"${seconds}s" --timeout 10s \
      -s bench/load/kms.lua "$(endpoint "s$i")/" -- "$WORK/s$i.tsv" >/dev/null &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i"; done
  [[ $3 == record ]] || return 0
  python3 - "$k" "$seconds" "$CASE" "$RESULT" "$WORK" <<'PY'
import json, sys
k, seconds, case, result, work = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
runs = [json.load(open(f"{work}/wrk-s{i}.json")) for i in range(1, k + 1)]
requests = sum(r["requests"] for r in runs)
errors = sum(v for r in runs for key, v in r.items() if key.startswith("errors_"))
rate = sum(r["requests"] / (r["duration_us"] / 1e6) for r in runs)
p50 = max(r["latency_us"]["p50"] for r in runs) / 1000
line = {"servers": k, "connections_each": 2, "case": case, "seconds": seconds,
        "requests": requests, "errors": errors, "requests_per_s": round(rate, 1),
        "worst_server_p50_ms": round(p50, 3)}
open(result, "a").write(json.dumps(line) + "\n")
print(f"servers: K={k} {rate:8.1f} req/s  worst p50 {p50:.3f} ms  errors {errors}")
if errors:
    sys.exit(f"servers: {errors} answers were not 200")
PY
}
# Every server's JIT warmed at once before anything is measured.
say "warm-up: all ${#names[@]} servers for ${WARMUP}s"
run "$max" "$WARMUP" warmup
for k in $KS; do
  say "K=$k: ${SECONDS_EACH}s measured"
  run "$k" "$SECONDS_EACH" record
done
audit_verify s1
say "audit trail verifies: $(tr -d '\n' <"$WORK/verify.json" | cut -c1-300)"
say "results in $RESULT"
