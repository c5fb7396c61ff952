#!/usr/bin/env bash
# Scenario 8, the local service comes back by itself (docs/reliability.md, "8. Restart"): ./kms dev
# on a data directory of its own, an Encrypt loop recording every acknowledged ciphertext, and the
# faults of a developer's machine, each followed by the service coming back within 30 s:
#   SIGKILL to the whole process group; to the JVM only (then two ./kms dev at the same moment,
#   exactly one wins); to the JVM and PostgreSQL's watchdog (a PostgreSQL left running, stopped by
#   the next start); to PostgreSQL only (the same JVM starts it again); a stale, hand-edited
#   dev.env; the port in use; SIGTERM and SIGINT (no PostgreSQL left behind); as root, on a tmpfs
#   data directory: read-only, the binaries' cache deleted, the disk full while serving (then
#   freed) and at start.
# Afterwards every acknowledged ciphertext decrypts and ./kms audit verify is clean.
#   8-restart.sh [--short|--long]   (one version: every step is short)
# Contract: every process is started here with setsid and stopped by its recorded process group
# (./kms dev execs java, so the group's id is the JVM's pid); PostgreSQL by the pid in the
# cluster's postmaster.pid, checked to descend from our JVM. The tmpfs is ours and unmounted.
set -euo pipefail
SCENARIO=8-restart
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
case ${1:---short} in --short | --long) ;; *) echo "usage: $0 [--short|--long]" >&2; exit 2 ;; esac
WORK=$(mktemp -d "${TMPDIR:-/tmp}/keyhaven-restart-XXXXXX")
OUT=${KMS_RELIABILITY_OUT:-$WORK}
mkdir -p "$OUT"
DIR=$WORK/data
STARTED=()   # process groups we created
MOUNTED=""
LOAD_PID=""
RESULTS=()

say() { echo "[$SCENARIO $(date -u +%H:%M:%S)] $*" >&2; }
fail() { say "FAILED: $* (work dir $WORK)"; exit 1; }
now_ms() { date +%s%3N; }
result() { RESULTS+=("\"$1\": $2"); }

. "$ROOT/tests/reliability/dev-server.sh" # dev_free_port
PORT=$(dev_free_port)

cleanup() {
  local status=$? pgid
  [[ -n $LOAD_PID ]] && kill "$LOAD_PID" 2>/dev/null || true
  for pgid in "${STARTED[@]}"; do # only a group still led by one of our JVMs
    [[ $(ps -o args= -p "$pgid" 2>/dev/null) == *"-Dkms.data-dir=$WORK/"* ]] \
      && kill -9 -- "-$pgid" 2>/dev/null || true
  done
  sleep 1 # the watchdogs stop their PostgreSQLs once the JVMs are gone
  if [[ -n $MOUNTED ]]; then umount "$MOUNTED" 2>/dev/null || umount -l "$MOUNTED" || true; fi
  if [[ $status -eq 0 ]]; then rm -rf "$WORK/data/pg" "$WORK/other" "$WORK/tmp"; fi
}
trap cleanup EXIT

# dev_launch NAME DIR PORT: ./kms dev in a new session (its own process group); sets LAUNCHED.
# SIGINT back to its default, as in a terminal where a user presses Ctrl-C: a background job of a
# shell without job control (CI runs this script so) starts with SIGINT ignored, and the JVM keeps
# an ignored SIGINT ignored, so the SIGINT step would test nothing but that.
dev_launch() {
  touch "$WORK/$1.marker"
  (cd "$ROOT" && KMS_DATA_DIR=$2 KMS_PORT=$3 exec setsid env --default-signal=INT ./kms dev) \
    >>"$WORK/$1.log" 2>&1 &
  LAUNCHED=$!
  disown "$LAUNCHED" # killed on purpose: no job notices
  STARTED+=("$LAUNCHED")
}

# dev_ready NAME DIR PID: waits until dev.env is newer than the launch (the server removed the old
# one when it started) and the endpoint answers; fails if PID exits first. Prints the ms taken.
dev_ready() {
  local start
  start=$(now_ms)
  for _ in $(seq 1 1200); do
    if [[ $2/dev.env -nt $WORK/$1.marker ]] && curl -s -o /dev/null -m 2 "http://127.0.0.1:$PORT/"; then
      echo $(($(now_ms) - start))
      return 0
    fi
    kill -0 "$3" 2>/dev/null || { tail -30 "$WORK/$1.log" >&2; fail "$1 exited during startup"; }
    sleep 0.1
  done
  fail "$1 did not become ready in 120 s"
}

# The postmaster of DIR's cluster, checked to descend from JVM pid $2 (so only ours is signalled).
postmaster_of() {
  local pid parent
  pid=$(head -1 "$1/pg/postmaster.pid")
  parent=$(ps -o ppid= -p "$pid" | tr -d ' ') # the watchdog
  [[ $(ps -o ppid= -p "$parent" | tr -d ' ') == "$2" ]] || fail "postmaster $pid is not under JVM $2"
  echo "$pid"
}

gone_within() { # PID SECONDS
  for _ in $(seq 1 $(($2 * 10))); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  return 1
}

kms_call() { # TARGET JSON: prints "<http code> <body>"
  local body code
  body=$(curl -s -m 10 -w '\n%{http_code}' "http://127.0.0.1:$PORT/" -H "Authorization: Bearer $TOKEN" \
    -H "X-Amz-Target: TrentService.$1" -H 'Content-Type: application/x-amz-json-1.1' -d "$2") || true
  code=${body##*$'\n'}
  echo "${code:-000} ${body%$'\n'*}"
}

# The Encrypt loop: one request at a time; a ciphertext is recorded only once answered 200.
load_start() {
  (
    i=0
    while [[ ! -f $WORK/load-stop ]]; do
      i=$((i + 1))
      pt=$(printf 'restart-%s-%06d' "$$" "$i" | base64)
      answer=$(kms_call Encrypt "{\"KeyId\":\"$KEY\",\"Plaintext\":\"$pt\"}")
      code=${answer%% *}
      if [[ $code == 200 ]]; then
        blob=$(sed -n 's/.*"CiphertextBlob":"\([^"]*\)".*/\1/p' <<<"$answer")
        echo "$pt $blob" >>"$WORK/acked"
      fi
      echo "$code" >>"$WORK/codes"
      sleep 0.05
    done
  ) &
  LOAD_PID=$!
}

acked() { if [[ -f $WORK/acked ]]; then wc -l <"$WORK/acked"; else echo 0; fi; }

# Waits until the loop has had N more acknowledged Encrypts (the service answers again).
await_acks() { # N SECONDS
  local target=$(($(acked) + $1))
  for _ in $(seq 1 $(($2 * 10))); do
    [[ $(acked) -ge $target ]] && return 0
    sleep 0.1
  done
  fail "fewer than $1 acknowledged Encrypts in $2 s"
}

# Decrypts every acknowledged ciphertext; prints how many failed (their answers go to $WORK/bad).
decrypt_failures() {
  local bad=0 pt blob answer
  while read -r pt blob; do
    answer=$(kms_call Decrypt "{\"CiphertextBlob\":\"$blob\"}")
    [[ $answer == "200 "*"\"Plaintext\":\"$pt\""* ]] || { bad=$((bad + 1)); echo "$answer" >>"$WORK/bad"; }
  done <"$WORK/acked"
  echo "$bad"
}

# stop_and_check LABEL SIGNAL: ends the load; every acknowledged ciphertext must decrypt and the
# audit trail verify; then SIG<SIGNAL> to the JVM: it must exit, and its PostgreSQL with it.
stop_and_check() {
  local n bad pm
  touch "$WORK/load-stop"
  wait "$LOAD_PID" || true
  LOAD_PID=""
  n=$(acked)
  bad=$(decrypt_failures)
  say "${1}acknowledged ciphertexts: $n, decrypt failures: $bad"
  [[ $bad -eq 0 ]] || fail "$1$bad acknowledged ciphertexts do not decrypt"
  result "$([[ -n $1 ]] && echo diskFullAcknowledged || echo acknowledged)" "$n"
  KMS_DATA_DIR=$DIR ./kms audit verify >"$WORK/verify.json" 2>&1 \
    || { cat "$WORK/verify.json" >&2; fail "${1}the audit trail does not verify"; }
  say "${1}audit trail verifies"
  pm=$(postmaster_of "$DIR" "$PID")
  kill "-$2" "$PID"
  gone_within "$PID" 30 || fail "SIG$2: the JVM did not exit in 30 s"
  kill -0 "$pm" 2>/dev/null && fail "SIG$2: PostgreSQL $pm outlived the JVM"
  say "SIG$2: JVM and PostgreSQL stopped"
}

# serve NAME: ./kms dev on $DIR, ready; a new key and the Encrypt loop, 5 acknowledged. Sets PID.
serve() {
  local ms
  dev_launch "$1" "$DIR" "$PORT"
  PID=$LAUNCHED
  ms=$(dev_ready "$1" "$DIR" "$PID")
  say "$1: ready in $ms ms"
  TOKEN=$(sed -n 's/^export KMS_TOKEN=//p' "$DIR/dev.env")
  KEY=$(kms_call CreateKey '{}' | sed -n 's/.*"KeyId":"\([^"]*\)".*/\1/p')
  [[ -n $KEY ]] || fail "$1: CreateKey failed"
  load_start
  await_acks 5 30
}

# refused NAME DIR PATTERN: ./kms dev on DIR must exit 1 (in 120 s at most) printing PATTERN.
refused() {
  local status=0
  (KMS_DATA_DIR=$2 KMS_PORT=$PORT exec timeout 120 setsid ./kms dev) >"$WORK/$1.log" 2>&1 \
    || status=$?
  [[ $status -eq 1 ]] || { cat "$WORK/$1.log" >&2; fail "$1: exit status $status, expected 1"; }
  grep -q -- "$3" "$WORK/$1.log" || { cat "$WORK/$1.log" >&2; fail "$1: unclear message"; }
  say "$1: refused with its message"
}

within_30s() { # WHAT MS
  say "$1: ready again in $2 ms"
  [[ $2 -le 30000 ]] || fail "$1: took $2 ms, over 30 s"
}

cd "$ROOT"
[[ -f target/quarkus-app/quarkus-run.jar ]] || ./mvnw -q -B package -DskipTests
mkdir -p "$DIR"

# The binaries' cache: in a private java.io.tmpdir, deleted before the disk-full step's start.
export KMS_JVM_OPTS="-Xmx256m -Djava.io.tmpdir=$WORK/tmp"
mkdir -p "$WORK/tmp"

say "first start (creates the cluster) on port $PORT"
serve a1

# 1. SIGKILL to the whole process group (a closed terminal, a CI timeout).
pm=$(postmaster_of "$DIR" "$PID")
kill -9 -- "-$PID"
gone_within "$pm" 15 || fail "group kill: PostgreSQL $pm is still running 15 s after its JVM died"
say "group kill: PostgreSQL $pm stopped by its watchdog"
# A stale dev.env, edited by hand: the launcher explains it, the next start replaces it.
sed -i 's/^export KMS_ENDPOINT=.*/export KMS_ENDPOINT=oops/' "$DIR/dev.env"
msg=$(KMS_DATA_DIR=$DIR ./kms audit verify 2>&1) && fail "audit verify succeeded on a broken dev.env"
[[ $msg == *"has no valid KMS_ENDPOINT"* ]] || fail "broken dev.env: unclear message: $msg"
dev_launch a2 "$DIR" "$PORT"
PID=$LAUNCHED
ms=$(dev_ready a2 "$DIR" "$PID")
within_30s "group kill" "$ms"
result groupKillRestartMs "$ms"
grep -q '^export KMS_ENDPOINT=http://' "$DIR/dev.env" || fail "dev.env was not written anew"
await_acks 10 30

# 2. SIGKILL to the JVM only; then two ./kms dev at the same moment: exactly one wins.
pm=$(postmaster_of "$DIR" "$PID")
kill -9 "$PID"
gone_within "$pm" 15 || fail "JVM kill: PostgreSQL $pm is still running 15 s after its JVM died"
msg=$(KMS_DATA_DIR=$DIR ./kms audit verify 2>&1) && fail "audit verify succeeded with no server"
[[ $msg == *"no Keyhaven answers at"* ]] || fail "stale dev.env: unclear message: $msg"
dev_launch a3 "$DIR" "$PORT"
p3=$LAUNCHED
dev_launch b3 "$DIR" "$PORT"
q3=$LAUNCHED
start=$(now_ms)
for _ in $(seq 1 1200); do
  if ! kill -0 "$p3" 2>/dev/null; then PID=$q3 loser=a3; break; fi
  if ! kill -0 "$q3" 2>/dev/null; then PID=$p3 loser=b3; break; fi
  sleep 0.1
done
[[ -n ${loser:-} ]] || fail "two starts at once: neither exited"
grep -q "kms: another Keyhaven (pid $PID, port $PORT) is using $DIR" "$WORK/$loser.log" \
  || { cat "$WORK/$loser.log" >&2; fail "the losing start did not name the winner"; }
winner=$([[ $loser == a3 ]] && echo b3 || echo a3)
dev_ready "$winner" "$DIR" "$PID" >/dev/null
ms=$(($(now_ms) - start))
within_30s "JVM kill, two starts at once ($loser lost)" "$ms"
result jvmKillRestartMs "$ms"
await_acks 10 30

# 3. SIGKILL to the JVM and PostgreSQL's watchdog at once: PostgreSQL is left running (as after an
#    OOM kill of both, or with an older Keyhaven); the next start stops it and recovers.
pm=$(postmaster_of "$DIR" "$PID")
watchdog=$(ps -o ppid= -p "$pm" | tr -d ' ')
guard=$(pgrep -P "$watchdog" | grep -v -x "$pm" || true) # the watchdog's pipe reader
# The guard first: once the JVM is gone it would stop PostgreSQL, as it should.
# shellcheck disable=SC2086
kill -9 $guard "$watchdog" "$PID"
sleep 2
kill -0 "$pm" 2>/dev/null || fail "the leftover PostgreSQL $pm did not survive (nothing to test)"
dev_launch a4 "$DIR" "$PORT"
PID=$LAUNCHED
ms=$(dev_ready a4 "$DIR" "$PID")
within_30s "leftover PostgreSQL" "$ms"
result leftoverRestartMs "$ms"
kill -0 "$pm" 2>/dev/null && fail "the leftover PostgreSQL $pm still runs"
grep -q "left by a Keyhaven that is gone" "$WORK/a4.log" || fail "the leftover was not reported"
await_acks 10 30

# 4. SIGKILL to PostgreSQL only: the same JVM starts it again.
pm=$(postmaster_of "$DIR" "$PID")
start=$(now_ms)
kill -9 "$pm"
await_acks 5 30
ms=$(($(now_ms) - start))
kill -0 "$PID" || fail "the JVM died with its PostgreSQL"
within_30s "PostgreSQL kill (same JVM $PID)" "$ms"
result postgresKillServingAgainMs "$ms"

# 5. The port in use: refused at once, naming it and KMS_PORT; nothing started.
mkdir -p "$WORK/other"
echo "export KMS_ENDPOINT=http://127.0.0.1:1 # stale" >"$WORK/other/dev.env"
refused port-in-use "$WORK/other" \
  "kms: port $PORT on 127.0.0.1 is already in use by another program (KMS_PORT=$PORT)"
[[ ! -e $WORK/other/pg ]] || fail "port in use: a PostgreSQL cluster was created anyway"
# The directory's new owner removed the stale dev.env (no false "ready") before the port check.
[[ ! -e $WORK/other/dev.env ]] || fail "the stale dev.env is still there"

# 6. The acknowledged ciphertexts, the audit trail, then SIGTERM: PostgreSQL stops with the JVM.
stop_and_check "" TERM

# 7. A full disk under the data directory (tmpfs): requests fail closed (500/503, AWS error types),
#    nothing acknowledged is lost, and the service recovers by itself when space is freed.
if [[ $(id -u) -ne 0 ]]; then
  say "!!!! DISK-FULL STEP NOT RUN: it needs root to mount a tmpfs (CI runs as root) !!!!"
  result diskFull '"not run: not root"'
else
  mkdir -p "$WORK/full"
  mount -t tmpfs -o size=160m tmpfs "$WORK/full" || fail "cannot mount a tmpfs for the disk-full step"
  MOUNTED=$WORK/full
  DIR=$WORK/full/data
  mkdir -p "$DIR"
  # A data directory that cannot be written (read-only mount: root ignores permissions).
  mount -o remount,ro "$WORK/full"
  refused read-only "$DIR" "kms: the data directory $DIR is not usable (.*Read-only file system"
  mount -o remount,rw "$WORK/full"
  rm -f "$WORK/acked" "$WORK/codes" "$WORK/load-stop"
  rm -rf "$WORK/tmp"/* # the binaries' cache deleted between runs
  serve f1
  grep -q "unpacking the PostgreSQL binaries" "$WORK/f1.log" || fail "the binaries were not unpacked again"
  say "binaries' cache deleted: unpacked again"
  dd if=/dev/zero of="$WORK/full/filler" bs=1M 2>/dev/null || true # until the disk is full
  say "disk full: $(df -h --output=avail "$WORK/full" | tail -1 | tr -d ' ') left"
  sleep 8
  full_codes=$(sort "$WORK/codes" | uniq -c | tr -s ' \n' ' ')
  failures=$(grep -c -E '^(500|503)$' "$WORK/codes" || true)
  [[ $failures -gt 0 ]] || fail "disk full: no request failed ($full_codes)"
  grep -v -E '^(200|500|503|000)$' "$WORK/codes" && fail "disk full: unexpected answers ($full_codes)"
  for type in $(kms_call Encrypt "{\"KeyId\":\"$KEY\",\"Plaintext\":\"eA==\"}" \
    | sed -n 's/.*"__type":"\([^"]*\)".*/\1/p'); do
    [[ $type == KMSInternalException || $type == DependencyTimeoutException ]] \
      || fail "disk full: answered $type"
  done
  rm -f "$WORK/full/filler"
  start=$(now_ms)
  await_acks 5 60
  ms=$(($(now_ms) - start))
  kill -0 "$PID" || fail "disk full: the JVM died"
  say "disk full: answers during it: $full_codes; serving again $ms ms after space was freed"
  result diskFullFailures "$failures"
  result diskFullRecoveryMs "$ms"
  stop_and_check "disk full: " INT
  # A start on the full disk: refused with PostgreSQL's reason, exit 1.
  dd if=/dev/zero of="$WORK/full/filler" bs=1M 2>/dev/null || true
  refused full-disk-start "$DIR" "kms: the disk holding the data directory $DIR is full"
  umount "$MOUNTED"
  MOUNTED=""
fi

printf '{%s}\n' "$(IFS=,; echo "${RESULTS[*]}")" >"$OUT/8-restart.json"
echo "8-restart: PASSED $(cat "$OUT/8-restart.json")"
