#!/usr/bin/env bash
# The load benchmark (docs/performance.md): starts the packaged server in local mode (embedded
# PostgreSQL, fsync and synchronous_commit on, durable audit) on loopback with a fresh data dir,
# creates keys with a 3-statement key policy, and drives it from outside the JVM with wrk for each
# case × authentication (bearer JWT, SigV4) × connection count, plus the trivial-endpoint floor.
# Prints requests/s, p50/p99/p99.9, server CPU per request and the ratio to the floor; writes
# bench/target/results/load-<UTC time>.json.
#   bench/load.sh                         every case, 10 s each, 2 and 32 connections
#   BENCH_DURATION=30s bench/load.sh      longer runs
#   BENCH_CASES="Encrypt256 Decrypt" BENCH_AUTH=jwt BENCH_CONNECTIONS=32 bench/load.sh
#   BENCH_JVM_OPTS="-Xmx256m" bench/load.sh   extra server JVM options
#   BENCH_WARMUP=30s bench/load.sh        longer unrecorded warm-up of each case (default 10 s)
#   BENCH_PROFILE=1 BENCH_CASES=Encrypt256 BENCH_AUTH=jwt BENCH_CONNECTIONS=32 bench/load.sh
#                                         + async-profiler (Maven Central) CPU profile of the server
#                                         over the recorded runs only — attached after the warm-up,
#                                         so the JIT's work is not in it — collapsed stacks in
#                                         bench/target/results/ (no floor runs)
#   bench/load.sh --smoke                 Encrypt256, Decrypt and the floor, 2 s each, JWT,
#                                         2 connections, no warm-up; checks the result file (CI)
# Installs wrk (Debian package) and python3 when missing and it runs as root.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${BENCH_DURATION:-10s}
CASES=${BENCH_CASES:-"Encrypt256 Encrypt4K Decrypt GenerateDataKey ReEncrypt Sign GenerateMac"}
AUTHS=${BENCH_AUTH:-"jwt sigv4"}
CONNECTIONS=${BENCH_CONNECTIONS:-"2 32"}
WARMUP=${BENCH_WARMUP:-10s}
SMOKE=false
if [[ ${1:-} == --smoke ]]; then
  SMOKE=true DURATION=2s AUTHS=jwt CONNECTIONS=2 WARMUP=""
  CASES="Encrypt256 Decrypt"
fi

# shellcheck source=bench/load/server.sh
. bench/load/server.sh
install_missing wrk wrk
install_missing python3 python3
build_if_stale
mkdir -p bench/target/results

if [[ -n ${BENCH_PROFILE:-} ]]; then
  profiler=bench/target/async-profiler/linux-x64/libasyncProfiler.so
  if [[ ! -f $profiler ]]; then
    mkdir -p bench/target/async-profiler
    curl -sSfo bench/target/async-profiler.jar \
      https://repo1.maven.org/maven2/tools/profiler/async-profiler/4.1/async-profiler-4.1-linux-x64.jar
    (cd bench/target/async-profiler && unzip -qo ../async-profiler.jar)
  fi
  PROFILE_OUT=$ROOT/bench/target/results/profile-$(date -u +%Y%m%dT%H%M%SZ).collapsed
fi
# async-profiler loaded into the running server (JVMTI.agent_load) with a command: start | stop.
profiler_command() {
  [[ -n ${BENCH_PROFILE:-} ]] || return 0
  # jcmd reads key=value pairs: the agent's option string goes quoted, as one value.
  jcmd "$SERVER" JVMTI.agent_load "$ROOT/$profiler" "\"$1\"" >/dev/null
}

trap stop_server EXIT
# shellcheck disable=SC2086
start_server ${BENCH_JVM_OPTS:-}
WORK=$DATA/bench
mkdir -p "$WORK"
ACCOUNT=$KMS_ACCOUNT_ID
APP="arn:aws:iam::$ACCOUNT:role/App"
REQ=(python3 bench/load/requests.py)

"${REQ[@]}" setup --endpoint "$KMS_ENDPOINT" --token "$KMS_TOKEN" --account "$ACCOUNT" \
  --out "$WORK/keys.json"
# The caller is the application role, with a JWT of the dev issuer and its own access key.
BENCH_TOKEN=$(KMS_DATA_DIR=$DATA ./kms token --principal "$APP" --ttl 12h)
export BENCH_TOKEN
eval "$(KMS_DATA_DIR=$DATA ./kms access-key create --principal "$APP")"
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY

LINES=$WORK/results.jsonl
: >"$LINES"
run_case() { # case auth connections record?
  local case=$1 auth=$2 conns=$3 path=/ pool=$WORK/$1-$2.tsv
  [[ $case == Floor ]] && path=/_keyhaven/bench/floor
  "${REQ[@]}" pool --case "$case" --auth "$auth" --keys "$WORK/keys.json" \
    --endpoint "$KMS_ENDPOINT" --path "$path" --out "$pool"
  local threads=$(( conns < 2 ? conns : 2 )) duration=$DURATION
  [[ $4 == warmup ]] && duration=$WARMUP
  local jvm0 pg0 jvm1 pg1 load
  jvm0=$(ticks "$SERVER") pg0=$(pg_ticks)
  BENCH_RESULT=$WORK/wrk.json wrk -t"$threads" -c"$conns" -d"$duration" --timeout 10s \
    -s bench/load/kms.lua "$KMS_ENDPOINT$path" -- "$pool" >/dev/null
  jvm1=$(ticks "$SERVER") pg1=$(pg_ticks)
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  [[ $4 == warmup ]] && return
  python3 - "$WORK/wrk.json" "$case" "$auth" "$conns" $((jvm1 - jvm0)) $((pg1 - pg0)) \
    "$(getconf CLK_TCK)" "$load" "$(rss_kib)" >>"$LINES" <<'EOF'
import json, sys
wrk = json.load(open(sys.argv[1]))
case, auth, conns, jvm, pg, hz, load, rss = sys.argv[2:10]
n = max(wrk["requests"], 1)
errors = sum(v for k, v in wrk.items() if k.startswith("errors_"))
print(json.dumps({
    "case": case, "auth": auth, "connections": int(conns),
    "requests": wrk["requests"], "errors": errors,
    "requests_per_s": round(wrk["requests"] / (wrk["duration_us"] / 1e6), 1),
    "latency_ms": {k: round(v / 1000, 3) for k, v in wrk["latency_us"].items()},
    "server_cpu_us_per_request": round(int(jvm) / int(hz) * 1e6 / n, 1),
    "postgres_cpu_us_per_request": round(int(pg) / int(hz) * 1e6 / n, 1),
    "load_average": load, "server_rss_mib": round(int(rss) / 1024, 1)}))
EOF
  python3 bench/load/report.py --line "$(tail -1 "$LINES")" >&2
}

# Warm-up: the JIT compiles the request path only after thousands of requests (the first runs
# of an unwarmed server spend most of their CPU in the C1/C2 compiler threads), so every case
# and authentication runs once, unrecorded, before anything is measured.
if [[ -n $WARMUP ]]; then
  echo "bench: warming up (JIT): every case for $WARMUP at 32 connections..." >&2
  [[ -n ${BENCH_PROFILE:-} ]] || run_case Floor none 32 warmup
  for case in $CASES; do
    for auth in $AUTHS; do run_case "$case" "$auth" 32 warmup; done
  done
fi
profiler_command start,event=cpu,interval=1ms
for conns in $CONNECTIONS; do
  [[ -n ${BENCH_PROFILE:-} ]] || run_case Floor none "$conns" record
  for case in $CASES; do
    for auth in $AUTHS; do run_case "$case" "$auth" "$conns" record; done
  done
  # the floor again: drift shows as a difference
  [[ -n ${BENCH_PROFILE:-} ]] || run_case Floor none "$conns" record
done

profiler_command "stop,collapsed,file=${PROFILE_OUT:-}"
[[ -z ${BENCH_PROFILE:-} ]] || echo "bench: profile in $PROFILE_OUT" >&2
heap=$(heap_info)
OUT=bench/target/results/load-$(date -u +%Y%m%dT%H%M%SZ).json
floor=1
[[ -n ${BENCH_PROFILE:-} ]] && floor=0
python3 bench/load/report.py "$LINES" "$DURATION" "$(rss_kib)" "$heap" "$CASES" "$AUTHS" \
  "$CONNECTIONS" "$floor" >"$OUT"
python3 bench/load/report.py --table "$OUT" >&2
echo "bench: results in $OUT" >&2
if $SMOKE; then
  python3 bench/load/report.py --check "$OUT"
fi
