#!/usr/bin/env bash
# JVM cold start of each Lambda function artifact on this machine (docs/performance.md): a fresh
# JVM, as Lambda's java21 runtime starts it, from process start to the first answered invocation
# of the function's sam-local event; then BC-FIPS's share (provider load, self-tests, DRBG seed).
# Needs the artifacts (./native-build.sh --jvm). The database, root key and JWT issuer come from a
# `./kms dev` started on a fresh data directory for the run. RUNS (3) runs per function and mode.
#
# MODES (default "c1 tiered c1-appcds tiered-appcds"): the JVM settings compared —
#   c1              -XX:TieredStopAtLevel=1 (sam-template.yaml's JAVA_TOOL_OPTIONS; the "before")
#   tiered          the JVM's default tiered compilation (C1 then C2)
#   c1-appcds       c1 plus an application class-data-sharing archive of this artifact, dumped by
#                   one training run (-XX:ArchiveClassesAtExit) before the measured runs
#   tiered-appcds   tiered plus the same archive
# FUNCTIONS (default "crypto admin rotation") limits the artifacts measured.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-3}
MODES=${MODES:-c1 tiered c1-appcds tiered-appcds}
FUNCTIONS=${FUNCTIONS:-crypto admin rotation}
FIPS_OPT=-Dorg.bouncycastle.fips.approved_only=true

mode_opts() { # mode fn -> the JVM options of that mode, one per line
  case $1 in
    c1|c1-appcds) echo "-XX:TieredStopAtLevel=1" ;;
    tiered|tiered-appcds) echo "-XX:+TieredCompilation" ;;
    *) echo "unknown mode $1" >&2; exit 2 ;;
  esac
  case $1 in
    *-appcds) echo "-XX:SharedArchiveFile=$work/$2.jsa"; echo "-Xshare:on" ;;
  esac
}

for fn in $FUNCTIONS; do
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
for fn in $FUNCTIONS; do
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
  # Class-data sharing archives only jars, so every mode runs from jars: the harness, and the
  # zip's top level (the application's classes and resources) with lib/ beside it. (Lambda's
  # java21 runtime puts the unpacked top level on the class path as a directory: an AppCDS
  # archive there needs the application packaged as a jar, like here.)
  jar cf "$work/harness-$fn.jar" -C "$work/harness" .
  (cd "$app" && jar cf "$work/$fn-app.jar" $(ls -A | grep -vx lib))
  echo "== $fn ($(du -h "target/lambda-$fn/function.zip" | cut -f1) zip, $(du -sh "$app" | cut -f1) unpacked)"
  # The stand-in for Lambda's java21 runtime (the packaged-artifact tests use it too): READY <ms>
  # once the handler exists, ANSWER <ms since JVM start> <base64> per event; the event twice.
  invoke() { # jvm options...
    printf '%s\n%s\n' "$line" "$line" \
      | QUARKUS_LAMBDA_HANDLER=$handler java "$FIPS_OPT" "$@" -cp "$work/harness-$fn.jar:$work/$fn-app.jar:$app/lib/*" \
          dev.keyhaven.kms.function.lambda.LambdaRuntimeStandIn >"$work/run.log" 2>&1
  }
  if [[ " $MODES " == *-appcds* ]]; then
    # Training run: the classes one cold start and two invocations load, archived at exit.
    invoke -XX:TieredStopAtLevel=1 -XX:ArchiveClassesAtExit="$work/$fn.jsa" \
      || { cat "$work/run.log" >&2; exit 1; }
    echo "  AppCDS archive: $(du -h "$work/$fn.jsa" | cut -f1)"
  fi
  # The modes take turns within each run, so that the machine's load (other builds) weighs on
  # them alike; the load average is printed with each run.
  declare -A firsts=()
  for run in $(seq 1 "$RUNS"); do
    echo "  run $run, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    for mode in $MODES; do
      mapfile -t opts < <(mode_opts "$mode" "$fn")
      invoke "${opts[@]}" || { cat "$work/run.log" >&2; exit 1; }
      ready=$(sed -n 's/^READY \([0-9]*\).*/\1/p' "$work/run.log")
      answers=($(sed -n 's/^ANSWER \([0-9]*\) .*/\1/p' "$work/run.log"))
      [[ -n $ready && ${#answers[@]} -eq 2 ]] || { cat "$work/run.log" >&2; exit 1; }
      status=$(sed -n 's/^ANSWER [0-9]* //p' "$work/run.log" | head -1 | base64 -d | head -c 60)
      echo "    [$mode] JVM start -> handler ready ${ready} ms, -> first answer ${answers[0]} ms, second invocation $((answers[1] - answers[0])) ms; answer: $status"
      firsts[$mode]="${firsts[$mode]:-} ${answers[0]}"
    done
  done
  for mode in $MODES; do
    mapfile -t opts < <(mode_opts "$mode" "$fn")
    echo "  [$mode] first answer, median of $RUNS: $(printf '%s\n' ${firsts[$mode]} | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p") ms (${opts[*]})"
  done
  unset firsts
  if [[ $fn == crypto ]]; then
    for _ in $(seq 1 "$RUNS"); do
      java "$FIPS_OPT" -XX:TieredStopAtLevel=1 -cp "$work/harness:$app/lib/*" FipsLoad | sed 's/^/  /'
    done
  fi
done
