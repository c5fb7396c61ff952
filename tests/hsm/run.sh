#!/usr/bin/env bash
# The HSM root of trust end to end (docs/key-hierarchy.md), with SoftHSM2 and the packaged server:
#   A. a new installation on an HSM root: the first start creates the key by label, a restart
#      finds it and decrypts what the first start encrypted; a wrong PIN and a missing token
#      refuse to start with a clear message, and the data directory's root is unchanged;
#   B. a secret-root installation moved into the HSM with ./kms root-key migrate (killed midway,
#      then run again), its old ciphertext decrypting under the HSM root; the old secret refused;
#      then moved back to a secret root; the audit trail verifies and holds the migration events.
# Needs softhsm2-util (Debian package softhsm2; ./kms test installs it). Everything it makes is in
# one temporary directory: the SoftHSM configuration and tokens (SOFTHSM2_CONF) and the data dirs.
set -euo pipefail
cd "$(dirname "$0")/../.."

die() { echo "hsm: FAILED: $*" >&2; exit 1; }
command -v softhsm2-util >/dev/null || die "softhsm2-util not found (apt-get install softhsm2)"
LIBRARY=""
for candidate in /usr/lib/softhsm/libsofthsm2.so /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so \
  /usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so /usr/local/lib/softhsm/libsofthsm2.so; do
  [[ -r $candidate ]] && { LIBRARY=$candidate; break; }
done
[[ -n $LIBRARY ]] || die "libsofthsm2.so not found"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/keyhaven-hsm-XXXXXX")
mkdir -p "$WORK/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n' \
  "$WORK/tokens" >"$WORK/softhsm2.conf"
export SOFTHSM2_CONF=$WORK/softhsm2.conf
PIN=hsm-stage-1234
softhsm2-util --init-token --free --label keyhaven-ci --pin "$PIN" --so-pin hsm-stage-so >/dev/null
export KMS_PKCS11_LIBRARY=$LIBRARY KMS_PKCS11_PIN=$PIN KMS_PKCS11_SLOT_LIST_INDEX=0
unset KMS_ROOT_KEY KMS_ROOT_KEY_FILE KMS_ROOT_OF_TRUST

SERVER_PID=""
stop() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap 'stop; rm -rf "$WORK"' EXIT

# start <data-dir> [env...]: a server with the given environment, ready when dev.env appears.
start() {
  local dir=$1; shift
  rm -f "$dir/dev.env"
  ( env "$@" KMS_DATA_DIR="$dir" KMS_PORT="$PORT" ./kms dev ) >>"$dir.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 180); do
    [[ -f $dir/dev.env ]] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -40 "$dir.log" >&2; die "the server exited during startup"; }
    sleep 1
  done
  die "the server did not become ready in 180 s"
}

# refused <data-dir> <expected message> [env...]: the server must exit non-zero saying so.
refused() {
  local dir=$1 expected=$2 status=0; shift 2
  ( env "$@" KMS_DATA_DIR="$dir" KMS_PORT="$PORT" timeout 180 ./kms dev ) >"$dir.refused.log" 2>&1 || status=$?
  [[ $status -ne 0 ]] || die "the server started although it should refuse ($expected)"
  grep -qF "$expected" "$dir.refused.log" || { tail -30 "$dir.refused.log" >&2; die "no message '$expected'"; }
  grep -qF "Nothing was changed." "$dir.refused.log" || die "the refusal does not say that nothing was changed"
  [[ ! -e $dir/root.key || -n ${HAS_ROOT_FILE:-} ]] || die "a refused start created a root key file"
  echo "hsm: refused as expected: $expected"
}

kms_call() { # data-dir target json
  ( . "$1/dev.env"
    curl -sS --fail-with-body "$KMS_ENDPOINT" -H "Authorization: Bearer $KMS_TOKEN" \
      -H 'Content-Type: application/x-amz-json-1.1' -H "X-Amz-Target: TrentService.$2" -d "$3" )
}
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }

encrypt() { # data-dir → ciphertext blob
  local key
  key=$(kms_call "$1" CreateKey '{"Description":"hsm stage"}' | field KeyId)
  [[ -n $key ]] || die "CreateKey failed"
  kms_call "$1" Encrypt "{\"KeyId\":\"$key\",\"Plaintext\":\"aHNtLXN0YWdl\"}" | field CiphertextBlob
}
decrypts() { # data-dir blob
  local plain
  plain=$(kms_call "$1" Decrypt "{\"CiphertextBlob\":\"$2\"}" | field Plaintext)
  [[ $plain == aHNtLXN0YWdl ]] || die "a ciphertext made before did not decrypt"
}

PORT=$((20000 + RANDOM % 12000))
SECONDS=0

# A. A new installation on an HSM root.
A=$WORK/a
start "$A" KMS_ROOT_OF_TRUST=pkcs11
grep -q "root of trust created: pkcs11" "$A.log" || die "no HSM root was created"
BLOB_A=$(encrypt "$A")
stop
[[ ! -e $A/root.key ]] || die "an HSM installation wrote a root key file"
start "$A" KMS_ROOT_OF_TRUST=pkcs11
decrypts "$A" "$BLOB_A"
stop
echo "hsm: new installation on the HSM root: created, restarted, decrypts"
refused "$A" "The HSM refused the PIN" KMS_ROOT_OF_TRUST=pkcs11 KMS_PKCS11_PIN=wrong-pin
refused "$A" "No usable PKCS#11 token" KMS_ROOT_OF_TRUST=pkcs11 KMS_PKCS11_SLOT_LIST_INDEX=7
refused "$A" "This database's root of trust is an HSM" KMS_ROOT_OF_TRUST=secret
# The refused starts changed nothing: the same root opens, nothing was created anew.
start "$A" KMS_ROOT_OF_TRUST=pkcs11
decrypts "$A" "$BLOB_A"
stop
[[ $(grep -c "root of trust created" "$A.log") -eq 1 ]] || die "a root was created more than once"

# B. A secret root moved into the HSM (under another label) and back.
B=$WORK/b
HAS_ROOT_FILE=yes # B keeps its secret root's file
start "$B"
BLOB_B=$(encrypt "$B")
stop
export KMS_PKCS11_KEY_LABEL=keyhaven-migrated
# Killed midway: one row per transaction and a pause after each, and the migration's JVM is
# SIGKILLed once its first transaction has committed.
KMS_DATA_DIR="$B" KMS_ROOT_OF_TRUST=pkcs11 KMS_ROOT_KEY_MIGRATE_BATCH_SIZE=1 \
  KMS_ROOT_KEY_MIGRATE_BATCH_PAUSE=1s ./kms root-key migrate >"$B.migrate-1.log" 2>&1 &
MIGRATE_PID=$!
for _ in $(seq 1 240); do
  grep -q "root-key migration: batch 1 committed" "$B.migrate-1.log" && break
  kill -0 "$MIGRATE_PID" 2>/dev/null || break
  sleep 0.5
done
grep -q "root-key migration: batch 1 committed" "$B.migrate-1.log" \
  || { tail -30 "$B.migrate-1.log" >&2; die "the migration did not start"; }
JAVA_PID=$(pgrep -P "$MIGRATE_PID" java || true)
[[ -n $JAVA_PID ]] || die "the migration's JVM was not found"
kill -KILL "$JAVA_PID"
wait "$MIGRATE_PID" 2>/dev/null || true
! grep -q "root-key migration from secret to pkcs11 complete" "$B.migrate-1.log" \
  || die "the migration finished before it could be killed"
refused "$B" "A root-key migration from secret to pkcs11 is unfinished" KMS_ROOT_OF_TRUST=pkcs11
KMS_DATA_DIR="$B" KMS_ROOT_OF_TRUST=pkcs11 ./kms root-key migrate >"$B.migrate-2.log" 2>&1 \
  || { tail -30 "$B.migrate-2.log" >&2; die "the resumed migration failed"; }
refused "$B" "This database's root of trust is an HSM" KMS_ROOT_OF_TRUST=secret
start "$B" KMS_ROOT_OF_TRUST=pkcs11
decrypts "$B" "$BLOB_B"
stop
echo "hsm: secret root moved into the HSM (killed once, resumed): decrypts"
KMS_DATA_DIR="$B" KMS_ROOT_OF_TRUST=secret ./kms root-key migrate >"$B.migrate-3.log" 2>&1 \
  || { tail -30 "$B.migrate-3.log" >&2; die "the migration back to a secret root failed"; }
start "$B"
decrypts "$B" "$BLOB_B"
EVENTS=$(KMS_DATA_DIR="$B" ./kms audit lookup --event-name RootKeyMigrationCompleted)
[[ $(grep -o '"EventName":"RootKeyMigrationCompleted"' <<<"$EVENTS" | wc -l) -eq 2 ]] \
  || die "the trail does not hold both migrations' completion events: $EVENTS"
KMS_DATA_DIR="$B" ./kms audit verify >/dev/null || die "the audit trail does not verify"
stop
echo "hsm: moved back to a secret root: decrypts; trail verifies with both migrations audited"
echo "hsm: all checks passed in ${SECONDS}s"
