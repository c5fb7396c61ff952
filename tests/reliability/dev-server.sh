# Sourced by scenarios 5-7: one packaged Keyhaven server of their own (./kms dev) on a fresh data
# directory and a free port, stopped by its PID. Needs ROOT (the repository) set by the caller.
#   dev_server_start <log>   starts it, waits for dev.env; sets DEV_DIR, DEV_PID, DEV_JAVA_PID
#   dev_server_stop          stops it (also run on EXIT by the scenario's trap)
#   dev_server_env           exports dev.env's variables into the current shell

DEV_DIR=""
DEV_PID=""
DEV_JAVA_PID=""

dev_free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "no free port found" >&2
  return 1
}

dev_server_start() { # log
  DEV_DIR=$(mktemp -d "${TMPDIR:-/tmp}/keyhaven-reliability-XXXXXX")
  local port
  port=$(dev_free_port)
  (cd "$ROOT" && KMS_DATA_DIR="$DEV_DIR" KMS_PORT="$port" exec ./kms dev) >"$1" 2>&1 &
  DEV_PID=$!
  for _ in $(seq 1 300); do
    if [[ -f $DEV_DIR/dev.env ]]; then
      # ./kms dev execs java, so the launcher's PID is the server JVM's.
      DEV_JAVA_PID=$DEV_PID
      return 0
    fi
    kill -0 "$DEV_PID" 2>/dev/null || { tail -50 "$1" >&2; echo "server exited" >&2; return 1; }
    sleep 1
  done
  tail -50 "$1" >&2
  echo "the server did not become ready in 300 s" >&2
  return 1
}

dev_server_stop() {
  if [[ -n $DEV_PID ]] && kill -0 "$DEV_PID" 2>/dev/null; then
    kill "$DEV_PID"
    wait "$DEV_PID" 2>/dev/null || true
  fi
  DEV_PID=""
  [[ -n $DEV_DIR && -d $DEV_DIR ]] && rm -rf "$DEV_DIR"
  DEV_DIR=""
}

dev_server_env() {
  set -a
  # shellcheck disable=SC1091
  . "$DEV_DIR/dev.env"
  set +a
}

# Runs the tests/ driver class <test> against the started server with dev.env's variables and the
# caller's exported RELIABILITY_* settings; its output goes to <log>. Returns the driver's status:
# non-zero also when the class ran no test or skipped one (a driver that ran nothing proved
# nothing), read from its Surefire report.
dev_run_driver() { # test log
  local report=$ROOT/tests/target/surefire-reports/TEST-dev.keyhaven.tests.reliability.$1.xml
  rm -f "$report"
  (
    dev_server_env
    export KMS_SERVER_PID=$DEV_JAVA_PID
    cd "$ROOT" && ./mvnw -B -q -f tests/pom.xml test "-Dtest=$1"
  ) >"$2" 2>&1 || return
  dev_report_ran "$report" >>"$2" 2>&1
}

# Passes when the Surefire report exists and counts at least one test and none skipped.
dev_report_ran() { # report.xml
  local head tests skipped
  [[ -f $1 ]] || { echo "no Surefire report $1: the driver did not run"; return 1; }
  head=$(grep -m1 -o '<testsuite [^>]*>' "$1")
  tests=$(sed -n 's/.* tests="\([0-9]*\)".*/\1/p' <<<"$head")
  skipped=$(sed -n 's/.* skipped="\([0-9]*\)".*/\1/p' <<<"$head")
  [[ ${tests:-0} -gt 0 && ${skipped:-1} -eq 0 ]] \
    || { echo "$1: ${tests:-0} tests ran, ${skipped:-?} skipped: the driver proved nothing"; return 1; }
}

# Stops the server; on a non-zero driver status, or without a result file, shows the driver's log
# tail, says FAILED and exits.
dev_finish() { # name mode status log result.json
  dev_server_stop
  if [[ $3 -eq 0 ]] && ! python3 -c 'import json, sys; assert json.load(open(sys.argv[1]))' "$5" \
    >>"$4" 2>&1; then
    echo "no result file $5 (or not a JSON object with content)" >>"$4"
    set -- "$1" "$2" 1 "$4" "$5"
  fi
  if [[ $3 -ne 0 ]]; then
    tail -40 "$4" >&2
    echo "$1: FAILED ($2)"
    exit 1
  fi
}
