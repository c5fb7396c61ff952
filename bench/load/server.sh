# Sourced by bench/load.sh and bench/scale.sh: tools, the server jar, and the packaged server in
# local mode on a free loopback port with a fresh data directory.

die() { echo "bench: $*" >&2; exit 2; }

install_missing() { # command debian-package
  command -v "$1" >/dev/null && return
  [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null || die "$1 is needed (apt-get install $2)"
  echo "bench: installing $2 (Debian package)..." >&2
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}

# The server jar, built when missing or older than any source file (as ./kms does).
APP_JAR=target/quarkus-app/quarkus-run.jar
build_if_stale() {
  command -v java >/dev/null || die "java (JDK 17+) is required"
  if [[ ! -f $APP_JAR ]] || [[ -n $(find src pom.xml -newer "$APP_JAR" -print -quit) ]]; then
    echo "bench: building the server..." >&2
    ./mvnw -q -B package -DskipTests
  fi
}

SERVER=""
DATA=""
stop_server() {
  if [[ -n $SERVER ]] && kill -0 "$SERVER" 2>/dev/null; then kill "$SERVER"; wait "$SERVER" || true; fi
  SERVER=""
  if [[ -n $DATA && -z ${BENCH_KEEP:-} ]]; then rm -rf "$DATA"; fi
}

# Starts the server exactly as ./kms dev does (run_server in ./kms) with the extra JVM options
# given, plus the floor endpoint (only the local build has it; kms.bench.floor-endpoint turns it
# on). Its stdout (the audit trail's JSON lines) goes to a file, as a service's log would.
# Sets SERVER (the JVM's pid), DATA, and the dev.env variables (KMS_ENDPOINT, KMS_TOKEN, ...).
start_server() { # extra JVM options...
  DATA=$(mktemp -d /tmp/keyhaven-bench-XXXXXX)
  local port="" candidate
  for _ in $(seq 1 50); do # below Linux's ephemeral range, and nothing listens on it
    candidate=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
  done
  [[ -n $port ]] || die "no free port"
  # As ./kms dev: the same default heap bound (KMS_JVM_OPTS replaces it), then BENCH_JVM_OPTS.
  read -r -a kms_jvm_opts <<<"${KMS_JVM_OPTS:--Xmx256m}"
  java -Dorg.bouncycastle.fips.approved_only=true "${kms_jvm_opts[@]}" "$@" \
    -Dkms.data-dir="$DATA" -Dquarkus.http.port="$port" -Dkms.region=us-east-1 \
    -Dkms.dev.account-id=111122223333 -Dkms.bench.floor-endpoint=true \
    -jar "$APP_JAR" >"$DATA/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 300); do
    [[ -f $DATA/dev.env ]] && break
    kill -0 "$SERVER" 2>/dev/null || { tail -50 "$DATA/server.log" >&2; die "the server exited"; }
    sleep 1
  done
  [[ -f $DATA/dev.env ]] || die "the server did not become ready in 300 s"
  # shellcheck disable=SC1091
  . "$DATA/dev.env"
}

# The embedded PostgreSQL's port (from the server log).
pg_port() { sed -n 's/.*embedded PostgreSQL on port \([0-9]*\).*/\1/p' "$DATA/server.log" | head -1; }

# CPU seconds (utime + stime, and the waited-for children's) of a process, in clock ticks.
ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# The embedded PostgreSQL: its postmaster and every backend.
pg_ticks() {
  local postmaster sum pid
  postmaster=$(head -1 "$(find "$DATA" -name postmaster.pid -print -quit)")
  sum=$(ticks "$postmaster")
  for pid in $(ps -o pid= --ppid "$postmaster"); do sum=$((sum + $(ticks "$pid"))); done
  echo "$sum"
}

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$SERVER/status"; }

heap_info() { jcmd "$SERVER" GC.heap_info 2>/dev/null | sed -n '2p' | sed 's/^ *//' || true; }

# AWS JSON 1.1 call with a bearer token; prints the answer, fails on non-200.
kms_call() { # token operation json
  curl -sS --fail-with-body "$KMS_ENDPOINT" -H "Authorization: Bearer $1" \
    -H "X-Amz-Target: TrentService.$2" -H 'Content-Type: application/x-amz-json-1.1' -d "$3"
}
