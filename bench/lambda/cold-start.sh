#!/usr/bin/env bash
# JVM cold start of each Lambda function artifact on this machine (docs/performance.md): a fresh
# JVM, as Lambda's java21 runtime starts it, from process start to the first answered invocation
# of the function's sam-local event; then BC-FIPS's share (provider load, self-tests, DRBG seed).
# Needs the artifacts (./native-build.sh --jvm). The database, root key and JWT issuer come from a
# `./kms dev` started on a fresh data directory for the run. RUNS (3) runs per function.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-3}
JVM_OPTS=(-Dorg.bouncycastle.fips.approved_only=true -XX:+TieredCompilation -XX:TieredStopAtLevel=1)

for fn in crypto admin rotation; do
  [[ -f target/lambda-$fn/function.zip ]] || { echo "target/lambda-$fn/function.zip missing: ./native-build.sh --jvm" >&2; exit 1; }
done

work=$(mktemp -d)
server_pid=""
cleanup() { if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT

port=$((20000 + RANDOM % 12000))
KMS_DATA_DIR=$work/data KMS_PORT=$port ./kms dev >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 180); do [[ -f $work/data/dev.env ]] && break; sleep 1; done
[[ -f $work/data/dev.env ]] || { cat "$work/server.log" >&2; exit 1; }
pg_port=$(sed -n 's/.*embedded PostgreSQL on port \([0-9]*\).*/\1/p' "$work/server.log" | head -1)
. "$work/data/dev.env"
key_id=$(curl -s "$KMS_ENDPOINT" -H "Authorization: Bearer $KMS_TOKEN" -H 'X-Amz-Target: TrentService.CreateKey' \
  -H 'Content-Type: application/x-amz-json-1.1' -d '{}' | sed 's/.*"KeyId":"\([^"]*\)".*/\1/')

export QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://localhost:$pg_port/postgres
export QUARKUS_DATASOURCE_USERNAME=postgres
QUARKUS_DATASOURCE_PASSWORD=$(cat "$work/data/pg-password")
export QUARKUS_DATASOURCE_PASSWORD
KMS_ROOT_KEY=$(cat "$work/data/root.key")
export KMS_ROOT_KEY
MP_JWT_VERIFY_PUBLICKEY="-----BEGIN PUBLIC KEY-----
$(cat "$work/data/dev-jwt-public.key")
-----END PUBLIC KEY-----"
export MP_JWT_VERIFY_PUBLICKEY MP_JWT_VERIFY_ISSUER=https://keyhaven.local/dev MP_JWT_VERIFY_AUDIENCES=keyhaven
# The audit sink's JSON lines would drown the numbers.
export QUARKUS_LOG_CATEGORY__KEYHAVEN_AUDIT__LEVEL=OFF

event() { # file -> filled-in copy
  sed -e "s|\${KMS_TOKEN}|$KMS_TOKEN|" -e "s|\${KMS_KEY_ID}|$key_id|" "tests/events/$1" >"$work/$1"
  echo "$work/$1"
}

standin=src/test/java/dev/keyhaven/kms/function/lambda/LambdaRuntimeStandIn.java
for fn in crypto admin rotation; do
  app=$work/$fn
  mkdir -p "$app" && (cd "$app" && unzip -q "$OLDPWD/target/lambda-$fn/function.zip")
  mkdir -p "$work/harness"
  javac -d "$work/harness" -cp "$app/lib/*" "$standin" bench/lambda/FipsLoad.java
  case $fn in
    crypto) ev=$(event encrypt.json); handler="" ;;
    admin) ev=$(event create-key.json); handler="" ;;
    rotation) ev=$(event scheduled-event.json); handler=rotation ;;
  esac
  line=$(base64 -w0 "$ev")
  echo "== $fn ($(du -h "target/lambda-$fn/function.zip" | cut -f1) zip, $(du -sh "$app" | cut -f1) unpacked)"
  for _ in $(seq 1 "$RUNS"); do
    # The stand-in for Lambda's java21 runtime (the packaged-artifact tests use it too): READY <ms>
    # once the handler exists, ANSWER <ms since JVM start> <base64> per event; the event twice.
    printf '%s\n%s\n' "$line" "$line" \
      | QUARKUS_LAMBDA_HANDLER=$handler java "${JVM_OPTS[@]}" -cp "$work/harness:$app:$app/lib/*" \
          dev.keyhaven.kms.function.lambda.LambdaRuntimeStandIn >"$work/run.log" 2>&1
    ready=$(sed -n 's/^READY \([0-9]*\).*/\1/p' "$work/run.log")
    answers=($(sed -n 's/^ANSWER \([0-9]*\) .*/\1/p' "$work/run.log"))
    [[ -n $ready && ${#answers[@]} -eq 2 ]] || { cat "$work/run.log" >&2; exit 1; }
    status=$(sed -n 's/^ANSWER [0-9]* //p' "$work/run.log" | head -1 | base64 -d | head -c 120)
    echo "  JVM start -> handler ready ${ready} ms, -> first answer ${answers[0]} ms, second invocation $((answers[1] - answers[0])) ms; answer: $status"
  done
  if [[ $fn == crypto ]]; then
    for _ in $(seq 1 "$RUNS"); do
      java "${JVM_OPTS[@]}" -cp "$work/harness:$app/lib/*" FipsLoad | sed 's/^/  /'
    done
  fi
done
