#!/usr/bin/env bash
# Scenario 9, operations (issue 20 parts 2-3; docs/self-hosting.md):
#  a. readiness: /q/health/ready must turn non-200 within 2 s of PostgreSQL stopping and 200
#     again within 10 s of its return (liveness stays 200 throughout);
#  b. graceful shutdown: SIGTERM to the server under mixed load (ReliabilityCrashDriver); the
#     server must exit by itself; afterwards every 200 holds (decrypts, durable) and every answer
#     that names a request id has its audit event;
#  c. metrics: the restarted server's /q/metrics, parsed by prometheus_client's text parser, counts
#     exactly the requests the audit trail holds for that process, by action and error code.
#   --short (CI) and --long: the long one stops PostgreSQL 5 times and sends 3 SIGTERMs.
SCENARIO=9-operations
. "$(dirname "$0")/../lib.sh"
parse_mode "$@"
if [[ $MODE == long ]]; then OUTAGES=5 SIGTERMS=3 LOAD=30; else OUTAGES=1 SIGTERMS=1 LOAD=10; fi

# A python3 that has prometheus_client (Debian's python3-prometheus-client when missing, as root).
metrics_python() {
  local python
  for python in python3 /usr/bin/python3; do
    if command -v "$python" >/dev/null && "$python" -c 'import prometheus_client' 2>/dev/null; then
      command -v "$python"; return
    fi
  done
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    say "installing Debian's python3-prometheus-client"
    apt-get update -qq >/dev/null \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-prometheus-client >/dev/null
    /usr/bin/python3 -c 'import prometheus_client' 2>/dev/null && { echo /usr/bin/python3; return; }
  fi
  fail "prometheus_client is needed (apt-get install python3-prometheus-client)"
}
PYTHON=$(metrics_python)

ready_status() { curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:${SERVER_PORT[a]}/q/health/ready" || true; }
live_status() { curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:${SERVER_PORT[a]}/q/health/live" || true; }
# Milliseconds until ready_status satisfies $1 (a bash test on $s), polling every 50 ms, up to $2 ms.
ms_until() {
  local start s
  start=$(now_ms)
  while (( $(now_ms) - start < $2 )); do
    s=$(ready_status)
    if eval "$1"; then echo $(( $(now_ms) - start )); return; fi
    sleep 0.05
  done
  echo -1
}

prepare
server_start a
[[ $(ready_status) == 200 ]] || fail "not ready after start"

# a. Readiness follows PostgreSQL.
down_worst=0 up_worst=0
for ((i = 1; i <= OUTAGES; i++)); do
  pg_stop
  down=$(ms_until '[[ $s != 200 ]]' 5000)
  [[ $(live_status) == 200 ]] || fail "liveness failed while PostgreSQL was down"
  sleep 2
  pg_start
  up=$(ms_until '[[ $s == 200 ]]' 20000)
  say "outage $i: readiness DOWN after $down ms, UP $up ms after PostgreSQL was back"
  (( down >= 0 && down <= 2000 )) || fail "readiness did not turn DOWN within 2 s ($down ms)"
  (( up >= 0 && up <= 10000 )) || fail "readiness did not come back within 10 s ($up ms)"
  (( down > down_worst )) && down_worst=$down
  (( up > up_worst )) && up_worst=$up
done

# b. SIGTERM under load: the server drains and exits by itself; the driver checks every answer.
RELIABILITY_SCENARIO=9-operations RELIABILITY_ALL_ANSWERS_AUDITED=1 \
  driver ReliabilityCrashDriver >"$WORK/driver.log" 2>&1 &
DRIVER_PID=$!
await_driver
exit_worst=0
for ((i = 1; i <= SIGTERMS; i++)); do
  sleep "$LOAD"
  pid=${SERVER_PIDS[a]}
  start=$(now_ms)
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  took=$(( $(now_ms) - start ))
  SERVER_PIDS[a]=""
  say "SIGTERM $i: the server exited after $took ms"
  (( took <= 35000 )) || fail "the server took $took ms to exit after SIGTERM"
  (( took > exit_worst )) && exit_worst=$took
  # No server runs now: every event after this mark is the next process's.
  chain_mark=$(driver ReliabilityAuditCounts mark | grep -v SLF4J)
  server_start a
done
echo "kills $SIGTERMS" >>"$WORK/events"
echo "faults-done $(now_ms)" >>"$WORK/events"
status=0
wait "$DRIVER_PID" || status=$?
DRIVER_PID=""
grep -v SLF4J "$WORK/driver.log"
[[ $status -eq 0 ]] || fail "the driver's checks failed (work dir $WORK)"

# c. The restarted server's counters against the events it wrote (after chain_mark; service
#    events of the maintenance job are no requests).
curl -sf "http://127.0.0.1:${SERVER_MGMT_PORT[a]}/q/metrics" >"$WORK/metrics.openmetrics" \
  || fail "no metrics on the management interface"
curl -sf -H 'Accept: text/plain; version=0.0.4' "http://127.0.0.1:${SERVER_MGMT_PORT[a]}/q/metrics" \
  >"$WORK/metrics.txt" || fail "no text-format metrics on the management interface"
grep -q '^# EOF' "$WORK/metrics.openmetrics" || fail "the default answer is not OpenMetrics"
! grep -q '^# EOF' "$WORK/metrics.txt" || fail "Accept: text/plain got OpenMetrics"
driver ReliabilityAuditCounts count "$chain_mark" 2>/dev/null >"$WORK/audit-counts.txt" \
  || fail "cannot count audit events"
"$PYTHON" "$REPO/tests/reliability/metrics-vs-audit.py" "$WORK/metrics.openmetrics" "$WORK/metrics.txt" \
  "$WORK/audit-counts.txt" \
  || fail "metrics and audit trail disagree"
audit_verify a
say "audit chain verifies"
cat >"$OUT/9-operations-timings.json" <<JSON
{"outages": $OUTAGES, "ready_down_worst_ms": $down_worst, "ready_up_worst_ms": $up_worst, "sigterms": $SIGTERMS, "exit_worst_ms": $exit_worst}
JSON
say "readiness DOWN in ≤ $down_worst ms, UP in ≤ $up_worst ms; SIGTERM exit ≤ $exit_worst ms"
