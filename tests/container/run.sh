#!/usr/bin/env bash
# Stage 6d of ./kms test (docs/testing.md): the container image (Containerfile) as a user runs it
# (docs/self-hosting.md, "Container image"). Registry images cannot be pulled on CI machines, so
# the Containerfile is built with BASE_IMAGE set to a Java 17 runtime made here:
#   default (CI, about 1.5 min): from the JDK running this test — its java home and the libraries
#     it loads — built in seconds;
#   --debian-base (on demand; the base alone takes 2–7 min): from Debian's packages (mmdebstrap
#     bookworm + openjdk-17-jre-headless, a distribution image like eclipse-temurin:17-jre), kept
#     for later runs as <prefix>-base:bookworm; --rebuild-base makes it again.
# Then, with podman (runc), checks in order:
#   1. the image: runs as a non-root numeric user, holds the serve build only (scope serve, no
#      local-mode class, no embedded PostgreSQL), no secret in its configuration;
#   2. a plain `java -jar` in the container maps the environment itself: an incomplete
#      configuration with an unreadable secret file is refused, each problem named;
#   3. against an external PostgreSQL and a test OIDC issuer this script starts (tests/serve),
#      with its secrets (root key, database and keystore passwords) from mounted files and TLS
#      from a PKCS#12 keystore: readiness over TLS; CreateKey/Encrypt/Decrypt with a bearer token
#      and GenerateRandom with a SigV4 access key made through it; the server process is the
#      container's PID 1 and not root; the requests are audited on its stdout and no secret is;
#   4. `podman stop` (SIGTERM) ends it gracefully within its grace period (exit 0/143, not killed);
#   5. compose.yaml's keyhaven service as podman-compose 1.0.3 translates it (its environment and
#      file secrets, TLS from PEM), with host networking instead of the compose network and the
#      test's PostgreSQL instead of the db service (whose image cannot be pulled): ready, and it
#      decrypts the first container's ciphertext.
# Environment: KMS_CONTAINER_PREFIX names the images and containers (default keyhaven-ci:
# <prefix>-base:host-jdk or :bookworm, <prefix>-keyhaven:test; all but the Debian base are
# removed at the end); KMS_TEST_PORTS=LOW-HIGH confines the ports used.
SCENARIO=container
# shellcheck source=../reliability/lib.sh
. "$(dirname "$0")/../reliability/lib.sh"
cd "$REPO"

PREFIX=${KMS_CONTAINER_PREFIX:-keyhaven-ci}
IMAGE=localhost/$PREFIX-keyhaven:test
NAME=$PREFIX-kms-$$
ACCOUNT=111122223333
ROOT_ARN=arn:aws:iam::$ACCOUNT:root
ISSUER=https://issuer.keyhaven.test
# runc and cgroupfs: crun fails on hybrid cgroup hosts; explicit ulimits: the defaults podman
# asks for are refused in some CI containers.
PODMAN=(podman --runtime runc --cgroup-manager=cgroupfs)
RUN_OPTS=(--network host --ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
BASE_KIND=host-jdk
REBUILD_BASE=false
for arg in "$@"; do
  case $arg in
    --debian-base) BASE_KIND=debian ;;
    --rebuild-base) BASE_KIND=debian; REBUILD_BASE=true ;;
    *) fail "usage: $0 [--debian-base [--rebuild-base]]" ;;
  esac
done
BASE=localhost/$PREFIX-base:$([[ $BASE_KIND == debian ]] && echo bookworm || echo host-jdk)

# On exit: the containers, volume, network and images of this run go, by name (the Debian base
# stays for the next run), then lib.sh's cleanup stops PostgreSQL and the issuer.
COMPOSE_CONTAINER=""
container_cleanup() {
  local name
  for name in "$NAME" "$NAME-refused" $COMPOSE_CONTAINER; do # one by one: a missing name fails the whole call
    "${PODMAN[@]}" rm -f --ignore -t 0 "$name" >/dev/null 2>&1 || true
  done
  # podman-compose creates the project's volume and network even in --dry-run.
  podman volume rm -f "$NAME-compose_pgdata" >/dev/null 2>&1 || true
  podman network rm -f "$NAME-compose_default" >/dev/null 2>&1 || true
  podman rmi "$IMAGE" >/dev/null 2>&1 || true
  [[ $BASE_KIND == debian ]] || podman rmi "$BASE" >/dev/null 2>&1 || true
}
# set +e first: under errexit the status restored for lib.sh's cleanup would end the trap.
trap 'status=$?; set +e; container_cleanup; (exit $status); cleanup' EXIT

kms_call() { # url operation json [curl args...]
  local url=$1 target=$2 json=$3
  shift 3
  curl -sS -H "X-Amz-Target: $target" -H 'Content-Type: application/x-amz-json-1.1' -d "$json" "$@" "$url"
}
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }

# Waits (up to 120 s) until the container's GET /q/health/ready answers UP over TLS; fails,
# showing its log, if it exits first or never does.
wait_ready() { # container url ca-file
  for _ in $(seq 1 1200); do
    curl -sf --cacert "$3" "$2/q/health/ready" >/dev/null 2>&1 && break
    [[ $(podman inspect -f '{{.State.Running}}' "$1") == true ]] \
      || { podman logs "$1" 2>&1 | tail -30 >&2; fail "container $1 exited during startup"; }
    sleep 0.1
  done
  [[ $(curl -sf --cacert "$3" "$2/q/health/ready") =~ \"status\":\ *\"UP\" ]] \
    || { podman logs "$1" 2>&1 | tail -30 >&2; fail "container $1 did not become ready in 120 s"; }
}

# --- the image --------------------------------------------------------------------------------
t0=$(date +%s)
if [[ $BASE_KIND == host-jdk ]]; then
  # The short variant's base, in seconds: the java home of the JDK running this test (bin, lib,
  # conf, with symbolic links resolved; not its sources, headers or jmods) and the shared
  # libraries its programs and libraries load (ldd), nothing else. A runtime, not a distribution:
  # the Containerfile needs of its base only a Java 17 `java` on PATH.
  java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  root=$WORK/base
  mkdir -p "$root/tmp" "$root/usr/bin" "$root$java_home"
  chmod 1777 "$root/tmp"
  # Dangling links (optional desktop libraries) are reported and skipped.
  tar -C "$java_home" -chf - --exclude=src.zip bin lib conf release 2>/dev/null | tar -C "$root$java_home" -xf - || true
  ln -s "$java_home/bin/java" "$root/usr/bin/java"
  find "$root$java_home" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} + 2>/dev/null \
    | grep -o '/[^ ]*' | grep -v "^$root" | sort -u | while read -r lib; do
      [[ -e $root$lib ]] || cp -L --parents "$lib" "$root"
    done
  tar -C "$root" -cf "$WORK/base.tar" . && rm -rf "$root"
  podman import -q "$WORK/base.tar" "$BASE" >/dev/null
  rm -f "$WORK/base.tar"
  # Whole outputs into variables, never `| head` or `| grep -q`: under pipefail a writer cut off
  # early fails the pipeline.
  version=$("${PODMAN[@]}" run --rm "${RUN_OPTS[@]}" --entrypoint java "$BASE" -version 2>&1) || true
  version=${version%%$'\n'*}
  [[ $version == *'"17.'* ]] || fail "the host-JDK base runs no Java 17: $version"
  say "base: the host JDK's runtime ($version)"
elif [[ $REBUILD_BASE == true ]] || ! podman image exists "$BASE"; then
  say "building the Java 17 runtime base from Debian packages (mmdebstrap)"
  mmdebstrap --quiet --variant=apt --include=openjdk-17-jre-headless,ca-certificates \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    bookworm "$WORK/base.tar" >"$WORK/mmdebstrap.log" 2>&1 \
    || { tail -20 "$WORK/mmdebstrap.log" >&2; fail "mmdebstrap failed"; }
  podman import -q "$WORK/base.tar" "$BASE" >/dev/null
  rm -f "$WORK/base.tar"
fi
t1=$(date +%s)
./kms serve --build
podman build -q --isolation chroot --build-arg BASE_IMAGE="$BASE" -f Containerfile -t "$IMAGE" . >/dev/null
t2=$(date +%s)
say "base ready in $((t1 - t0)) s; serve jar and image built in $((t2 - t1)) s"

# --- 1. what the image holds --------------------------------------------------------------------
[[ $(podman image inspect -f '{{.Config.User}}' "$IMAGE") == 10001:10001 ]] || fail "the image's user is not 10001"
env_names=$(podman image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$IMAGE" | cut -d= -f1 | sort | xargs)
[[ $env_names == "JDK_JAVA_OPTIONS KMS_HOST PATH" ]] || fail "unexpected configuration in the image: $env_names"
"${PODMAN[@]}" create -q --name "$NAME" "$IMAGE" >/dev/null
mkdir -p "$WORK/image"
podman cp "$NAME:/opt/keyhaven" "$WORK/image/" && "${PODMAN[@]}" rm -f "$NAME" >/dev/null
[[ $(unzip -p "$WORK"/image/keyhaven/app/keyhaven-*.jar META-INF/keyhaven/function) == serve ]] \
  || fail "the image's application is not the serve build"
if find "$WORK/image" -name '*.jar' -exec unzip -l {} \; | grep -E 'dev/keyhaven/kms/local/|DevIssuer|EmbeddedDatabase|zonky'; then
  fail "the image holds local-mode code (dev issuer, embedded PostgreSQL, test/test)"
fi
find "$WORK/image" -type f ! -name '*.jar' ! -name '*.dat' ! -name '*.txt' | grep . && fail "unexpected files in the image"
say "1. image: user 10001:10001, the serve build only, no configuration or secret baked in"

# --- PostgreSQL, the issuer, the secrets ----------------------------------------------------------
pg_setup
pg_start
ISSUER_PORT=$(free_port)
java tests/serve/TestIssuer.java "$ISSUER_PORT" "$ISSUER" keyhaven 0 "$WORK/issuer.ready" >"$WORK/issuer.log" 2>&1 &
SERVER_PIDS[issuer]=$!
for _ in $(seq 1 300); do [[ -f $WORK/issuer.ready ]] && break; sleep 0.1; done
[[ -f $WORK/issuer.ready ]] || { cat "$WORK/issuer.log" >&2; fail "the test issuer did not start"; }
SECRETS=$WORK/secrets # 0700 on the host; the files 0644 so the container's user reads them
mkdir -m 0700 "$SECRETS"
head -c 32 /dev/urandom | base64 >"$SECRETS/root.key"
head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$SECRETS/db-password"
head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$SECRETS/tls-password"
keytool -genkeypair -alias keyhaven -keyalg EC -groupname secp256r1 -validity 2 -storetype PKCS12 \
  -keystore "$SECRETS/tls.p12" -storepass "$(cat "$SECRETS/tls-password")" -dname CN=localhost \
  -ext san=dns:localhost,ip:127.0.0.1 >/dev/null 2>&1
keytool -exportcert -rfc -alias keyhaven -keystore "$SECRETS/tls.p12" -storepass "$(cat "$SECRETS/tls-password")" \
  >"$WORK/ca.pem" 2>/dev/null
chmod 0644 "$SECRETS"/*
# Each file mounted on its own, as compose mounts its secrets (the 0700 directory is not).
MOUNTS=()
for file in root.key db-password tls-password tls.p12; do MOUNTS+=(-v "$SECRETS/$file:/run/secrets/$file:ro"); done

# --- 2. refused: the jar's own mapping and checks, in the container -----------------------------
status=0
timeout 120 "${PODMAN[@]}" run --name "$NAME-refused" "${RUN_OPTS[@]}" "${MOUNTS[@]}" \
  -e KMS_DATABASE_PASSWORD_FILE=/run/secrets/missing -e KMS_TLS_PKCS12=/run/secrets/tls.p12 \
  "$IMAGE" >"$WORK/refused.log" 2>&1 || status=$?
[[ $status -ne 0 && $status -ne 124 ]] || { cat "$WORK/refused.log" >&2; fail "an incomplete configuration started (exit $status)"; }
for message in "no database" "KMS_DATABASE_PASSWORD_FILE /run/secrets/missing: not readable" "no token issuer" "no root key"; do
  grep -qF -- "$message" "$WORK/refused.log" || { cat "$WORK/refused.log" >&2; fail "refused start: no message '$message'"; }
done
grep -q "no TLS" "$WORK/refused.log" && fail "KMS_TLS_PKCS12 was not mapped to TLS inside the container"
"${PODMAN[@]}" rm -f "$NAME-refused" >/dev/null
say "2. an incomplete configuration is refused by the container, each problem named (KMS_TLS_PKCS12 mapped)"

# --- 3. the server in the container -----------------------------------------------------------
PORT=$(free_port)
URL=https://localhost:$PORT
# Host networking (the test's PostgreSQL and issuer listen on loopback); bound to loopback only.
"${PODMAN[@]}" run -d -q --name "$NAME" "${RUN_OPTS[@]}" "${MOUNTS[@]}" \
  -e QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:$PG_PORT/postgres" \
  -e QUARKUS_DATASOURCE_USERNAME=postgres -e KMS_DATABASE_PASSWORD_FILE=/run/secrets/db-password \
  -e MP_JWT_VERIFY_ISSUER="$ISSUER" -e MP_JWT_VERIFY_AUDIENCES=keyhaven \
  -e MP_JWT_VERIFY_PUBLICKEY_LOCATION="http://127.0.0.1:$ISSUER_PORT/jwks" \
  -e KMS_ROOT_KEY_FILE=/run/secrets/root.key -e KMS_AUDIT_OPERATOR_ACCOUNTS=$ACCOUNT \
  -e KMS_TLS_PKCS12=/run/secrets/tls.p12 -e KMS_TLS_PKCS12_PASSWORD_FILE=/run/secrets/tls-password \
  -e KMS_HOST=127.0.0.1 -e KMS_PORT="$PORT" "$IMAGE" >/dev/null
t3=$(date +%s)
wait_ready "$NAME" "$URL" "$WORK/ca.pem"
say "3. ready over TLS in $(($(date +%s) - t3)) s: GET /q/health/ready is UP"

pid=$(podman inspect -f '{{.State.Pid}}' "$NAME")
[[ $(ps -o comm= -p "$pid") == java && $(ps -o uid= -p "$pid" | tr -d ' ') == 10001 ]] \
  || fail "the container's PID 1 is not java as uid 10001: $(ps -o uid=,comm= -p "$pid")"
say "3. the server is the container's PID 1, java as uid 10001 (not root)"

TOKEN=$(curl -sf "http://127.0.0.1:$ISSUER_PORT/token?principal=$ROOT_ARN")
auth=(--cacert "$WORK/ca.pem" -H "Authorization: Bearer $TOKEN")
key=$(kms_call "$URL" TrentService.CreateKey '{"Description":"container"}' "${auth[@]}" | field KeyId)
[[ -n $key ]] || fail "CreateKey through the container failed"
blob=$(kms_call "$URL" TrentService.Encrypt "{\"KeyId\":\"$key\",\"Plaintext\":\"aGVsbG8=\"}" "${auth[@]}" | field CiphertextBlob)
[[ -n $blob ]] || fail "Encrypt through the container failed"
decrypt_id=$(kms_call "$URL" TrentService.Decrypt "{\"CiphertextBlob\":\"$blob\"}" "${auth[@]}" -D "$WORK/decrypt.h" \
  -o "$WORK/decrypt.json"; tr -d '\r' <"$WORK/decrypt.h" | sed -n 's/^x-amzn-requestid: *//Ip')
grep -q '"Plaintext":"aGVsbG8="' "$WORK/decrypt.json" || fail "Decrypt through the container: $(cat "$WORK/decrypt.json")"
keys=$(env -u KMS_CLI_ENDPOINT CURL_CA_BUNDLE="$WORK/ca.pem" KMS_TOKEN="$TOKEN" ./kms access-key create --endpoint "$URL" --principal "$ROOT_ARN")
answer=$(kms_call "$URL" TrentService.GenerateRandom '{"NumberOfBytes":8}' --cacert "$WORK/ca.pem" \
  --aws-sigv4 aws:amz:us-east-1:kms --user "$(sed -n 's/^AWS_ACCESS_KEY_ID=//p' <<<"$keys"):$(sed -n 's/^AWS_SECRET_ACCESS_KEY=//p' <<<"$keys")")
[[ $answer == *'"Plaintext"'* ]] || fail "GenerateRandom with a SigV4 access key: $answer"
say "3. CreateKey, Encrypt, Decrypt (bearer token of the test issuer) and GenerateRandom (SigV4) through the container"

podman logs "$NAME" >"$WORK/container.log" 2>&1
grep -F "\"requestID\":\"$decrypt_id\"" "$WORK/container.log" | grep '"eventName":"Decrypt"' >/dev/null \
  || fail "the Decrypt ($decrypt_id) has no audit event on the container's stdout"
for secret in root.key db-password tls-password; do
  grep -qF -- "$(cat "$SECRETS/$secret")" "$WORK/container.log" && fail "the container logged the $secret"
done
say "3. the requests are audited on the container's stdout; no secret in its output"

# --- 4. SIGTERM -----------------------------------------------------------------------------------
t4=$(date +%s)
podman stop -t 40 "$NAME" >/dev/null
code=$(podman inspect -f '{{.State.ExitCode}}' "$NAME")
[[ $code == 0 || $code == 143 ]] || { podman logs "$NAME" 2>&1 | tail -20 >&2; fail "podman stop: exit $code (137: killed after the grace period)"; }
podman logs "$NAME" >"$WORK/container.log" 2>&1
grep -q 'stopped in' "$WORK/container.log" || fail "no graceful Quarkus shutdown in the container's log"
say "4. podman stop (SIGTERM): a graceful shutdown, exited $code in $(($(date +%s) - t4)) s, within its 40 s grace"
# --- 5. compose.yaml's keyhaven service, as podman-compose runs it ---------------------------------
# podman-compose 1.0.3 (Debian 12) can start neither of compose.yaml's services here: the postgres
# image cannot be pulled (and 1.0.3 ignores --no-deps), and it gives every container the project's
# bridge network, where neither the test's PostgreSQL nor its issuer (plain-HTTP JWKS, accepted on
# loopback only) is reachable; host networking it cannot combine with that. So: the `podman run`
# podman-compose makes of compose.yaml's keyhaven service (--dry-run; the override names this
# run's image and ports and the test's PostgreSQL), run with its network arguments (--net,
# --network-alias, -p) replaced by host networking. Its environment, secrets (TLS from PEM here)
# and mounts are compose.yaml's as podman-compose translates them.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$SECRETS/tls.key" -out "$SECRETS/tls.crt" 2>/dev/null
chmod 0644 "$SECRETS"/*
COMPOSE_DIR=$WORK/compose
mkdir -p "$COMPOSE_DIR"
cp compose.yaml "$COMPOSE_DIR/"
ln -s "$SECRETS" "$COMPOSE_DIR/secrets"
PORT=$(free_port)
cat >"$COMPOSE_DIR/override.yaml" <<EOF
services:
  keyhaven:
    image: $IMAGE
    environment:
      QUARKUS_DATASOURCE_REACTIVE_URL: postgresql://127.0.0.1:$PG_PORT/postgres
      QUARKUS_DATASOURCE_USERNAME: postgres
      KMS_HOST: 127.0.0.1
      KMS_PORT: "$PORT"
EOF
MP_JWT_VERIFY_ISSUER=$ISSUER MP_JWT_VERIFY_PUBLICKEY_LOCATION=http://127.0.0.1:$ISSUER_PORT/jwks \
  KMS_AUDIT_OPERATOR_ACCOUNTS=$ACCOUNT podman-compose --dry-run -p "$NAME-compose" -f "$COMPOSE_DIR/compose.yaml" \
  -f "$COMPOSE_DIR/override.yaml" up -d keyhaven >"$WORK/compose.log" 2>&1 \
  || { cat "$WORK/compose.log" >&2; fail "podman-compose --dry-run up failed"; }
line=$(grep "^podman run --name=$NAME-compose_keyhaven_1 " "$WORK/compose.log") \
  || { cat "$WORK/compose.log" >&2; fail "podman-compose made no podman run of the keyhaven service"; }
read -r -a words <<<"${line#podman run }" # podman-compose prints it space-joined; no value has a space
compose_run=()
skip=false
for word in "${words[@]}"; do
  if [[ $skip == true ]]; then skip=false; continue; fi
  case $word in --net | --network-alias | -p) skip=true ;; *) compose_run+=("$word") ;; esac
done
COMPOSE_CONTAINER=$NAME-compose_keyhaven_1
(cd "$COMPOSE_DIR" && "${PODMAN[@]}" run "${RUN_OPTS[@]}" "${compose_run[@]}" >/dev/null) \
  || fail "podman run of compose.yaml's keyhaven service failed: ${compose_run[*]}"
URL=https://localhost:$PORT
wait_ready "$COMPOSE_CONTAINER" "$URL" "$SECRETS/tls.crt"
plain=$(kms_call "$URL" TrentService.Decrypt "{\"CiphertextBlob\":\"$blob\"}" --cacert "$SECRETS/tls.crt" \
  -H "Authorization: Bearer $TOKEN" | field Plaintext)
[[ $plain == aGVsbG8= ]] || fail "Decrypt through compose.yaml's keyhaven of the first container's ciphertext: $plain"
podman stop -t 40 "$COMPOSE_CONTAINER" >/dev/null
say "5. compose.yaml's keyhaven service as podman-compose runs it (file secrets, TLS from PEM; host network): ready, decrypts the first container's ciphertext"

rm -rf "$WORK/image" "$SECRETS" # the bulky copy, and the secrets; the logs stay
say "PASSED in $(($(date +%s) - t0)) s (work directory $WORK)"
