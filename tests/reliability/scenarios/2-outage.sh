#!/usr/bin/env bash
# Scenario 2, database outage (docs/reliability.md): PostgreSQL stopped under load; no success
# while it is down, errors fast, full service soon after it returns, same server process
# (ReliabilityOutageDriver).
#   --short (CI): 20 s down   --long: 60 s down
SCENARIO=2-outage
. "$(dirname "$0")/../lib.sh"
parse_mode "$@"
if [[ $MODE == long ]]; then DOWN=60; else DOWN=20; fi

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
echo "faults-done $(now_ms)" >>"$WORK/events"
status=0
wait "$DRIVER_PID" || status=$?
DRIVER_PID=""
[[ ${SERVER_PIDS[a]} == "$server_pid" ]] && kill -0 "$server_pid" \
  || fail "the server process did not survive the outage"
say "the same server process served throughout"
finish_checks "$status"
