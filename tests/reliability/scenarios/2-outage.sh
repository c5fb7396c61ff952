#!/usr/bin/env bash
# Scenario 2, database outage (docs/reliability.md): PostgreSQL stopped under load, then frozen
# (SIGSTOP, a hung database); no success while it is down or frozen, errors fast, full service
# soon after it returns, same server process (ReliabilityOutageDriver).
#   --short (CI): 20 s down, 12 s frozen   --long: 60 s down, 60 s frozen
SCENARIO=2-outage
. "$(dirname "$0")/../lib.sh"
parse_mode "$@"
if [[ $MODE == long ]]; then DOWN=60 FROZEN=60; else DOWN=20 FROZEN=12; fi

prepare
server_start a
server_pid=${SERVER_PIDS[a]}
driver ReliabilityOutageDriver >"$WORK/driver.log" 2>&1 &
DRIVER_PID=$!
await_driver
sleep 10
say "stopping PostgreSQL for $DOWN s under load"
pg_stop
echo "pg-stopped $(now_ms)" >>"$WORK/events"
sleep "$DOWN"
echo "pg-restarting $(now_ms)" >>"$WORK/events"
pg_start
echo "pg-ready $(now_ms)" >>"$WORK/events"
say "PostgreSQL is back; 20 s more load"
sleep 20
say "freezing PostgreSQL (SIGSTOP) for $FROZEN s under load"
pg_freeze
echo "pg-frozen $(now_ms)" >>"$WORK/events"
sleep "$FROZEN"
echo "pg-thawing $(now_ms)" >>"$WORK/events"
pg_thaw
say "PostgreSQL runs again (SIGCONT); 20 s more load"
sleep 20
echo "faults-done $(now_ms)" >>"$WORK/events"
status=0
wait "$DRIVER_PID" || status=$?
DRIVER_PID=""
[[ ${SERVER_PIDS[a]} == "$server_pid" ]] && kill -0 "$server_pid" \
  || fail "the server process did not survive the outage"
say "the same server process served throughout"
finish_checks "$status"
