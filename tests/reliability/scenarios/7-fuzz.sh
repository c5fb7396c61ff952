#!/usr/bin/env bash
# Scenario 7, fuzzing (docs/reliability.md): the four Jazzer @FuzzTest targets of the main module
# — request parser, ciphertext parser, key-policy parser, SigV4 canonicalizer — each fuzzed on
# its own JVM (Jazzer fuzzes one test per run) for its @FuzzTest maxDuration (25 s), coverage-
# guided from the corpus in src/test/resources/**/<Class>Inputs/<method> plus what earlier runs
# kept in .cifuzz-corpus/ (not in git). Instrumentation is limited to dev.keyhaven classes, so
# the BC-FIPS jar, which checks its own integrity, is never rewritten. A finding (crash, failed
# contract, hang) is written into the Inputs directory by Jazzer — becoming a regression input
# that every ./mvnw package replays — and fails the scenario. So does a target that reports no
# fuzzing executions (it did not run, or did not fuzz).
#   7-fuzz.sh [--short|--long]   short: one 25 s run per target (CI); long: 12 runs per target
# Writes $KMS_RELIABILITY_OUT/7-fuzz.json; exits non-zero on any finding.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$ROOT"

mode=${1:---short}
case $mode in
  --short) rounds=1 ;;
  --long) rounds=12 ;;
  *) echo "usage: $0 [--short|--long]" >&2; exit 2 ;;
esac
out=${KMS_RELIABILITY_OUT:-/tmp}
mkdir -p "$out"
targets=(
  dev.keyhaven.kms.protocol.RequestCodecFuzzTest#read_anyBody_requestOrSerializationException
  dev.keyhaven.kms.domain.crypto.CiphertextBlobFuzzTest#parse_anyBytes_roundTripsOrInvalidCiphertext
  dev.keyhaven.kms.domain.policy.PolicyDocumentFuzzTest#parse_anyText_documentOrMalformedPolicy
  dev.keyhaven.kms.adapter.identity.SigV4CanonicalFuzzTest#canonicalize_anyRequest_keepsTheSigV4Rules
)
./mvnw -B -q -o test-compile >"$out/7-fuzz-compile.log" 2>&1 || ./mvnw -B -q test-compile

failed=0
json=""
for target in "${targets[@]}"; do
  runs=0 seconds=0 status=ok
  for round in $(seq 1 "$rounds"); do
    log="$out/7-fuzz-${target##*.}-$round.log"
    start=$(date +%s)
    # No failIfNoSpecifiedTests=false: a target whose class is gone fails here. (One whose method
    # is gone still passes Surefire, with 0 tests: the execution count below catches that.)
    if ! JAZZER_FUZZ=1 JAZZER_INSTRUMENTATION_INCLUDES='dev.keyhaven.**' \
      ./mvnw -B -o surefire:test "-Dtest=$target" >"$log" 2>&1; then
      status=finding
    fi
    seconds=$((seconds + $(date +%s) - start))
    # libFuzzer's last line: "Done <n> runs in <s> second(s)"; with a finding, the last status line.
    n=$(grep -oE 'Done [0-9]+ runs' "$log" | tail -1 | grep -oE '[0-9]+' || true)
    [[ -z $n ]] && n=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
    runs=$((runs + ${n:-0}))
    [[ $status == ok ]] || { grep -E 'Exception|Error|==[0-9]+==|crash-|Test unit written|No tests' \
      "$log" | head -20 >&2; failed=1; break; }
    # A run that fuzzed nothing (no "Done"/status line: the target did not run, or ran as a plain
    # regression test without JAZZER_FUZZ) passes surefire but proves nothing.
    if [[ ${n:-0} -eq 0 ]]; then
      echo "7-fuzz: ${target##*.} round $round reported no fuzzing executions (see $log)" >&2
      status=no-executions failed=1
      break
    fi
  done
  echo "7-fuzz: ${target##*.} $status, $runs executions in $rounds run(s), ${seconds} s"
  json="${json:+$json,}{\"target\":\"$target\",\"status\":\"$status\",\"executions\":$runs,"
  json+="\"runs\":$rounds,\"seconds\":$seconds}"
done
echo "{\"scenario\":\"7-fuzz\",\"mode\":\"${mode#--}\",\"targets\":[$json]}" >"$out/7-fuzz.json"
if [[ $failed -ne 0 ]]; then
  echo "7-fuzz: FAILED ($mode): a finding, or a target that did not fuzz; see $out/7-fuzz-*.log"
  exit 1
fi
echo "7-fuzz: PASSED ($mode) $(cat "$out/7-fuzz.json")"
