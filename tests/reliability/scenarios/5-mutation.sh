#!/usr/bin/env bash
# Scenario 5, ciphertext mutation (docs/reliability.md): mutated ciphertexts (bit flips,
# truncation, extension, header key id and version swapped, changed encryption context, a wrong
# KeyId) against a server of its own; every one must be rejected with the AWS error its bytes call
# for and one body per error type, never a 200 or a 5xx.
#   5-mutation.sh [--short|--long]   short: 3,000 mutations (CI); long: 100,000
# Environment: RELIABILITY_SEED (default: the clock; printed), KMS_RELIABILITY_OUT (result dir).
# Writes $KMS_RELIABILITY_OUT/5-mutation.json; exits non-zero on any failure.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
. "$ROOT/tests/reliability/dev-server.sh"

mode=${1:---short}
case $mode in
  --short) count=3000 ;;
  --long) count=100000 ;;
  *) echo "usage: $0 [--short|--long]" >&2; exit 2 ;;
esac
out=${KMS_RELIABILITY_OUT:-/tmp}
mkdir -p "$out"
trap dev_server_stop EXIT

dev_server_start "$out/5-mutation-server.log"
export RELIABILITY_MUTATIONS=$count RELIABILITY_JSON="$out/5-mutation.json"
export RELIABILITY_SEED=${RELIABILITY_SEED:-$(date +%s)}
rm -f "$out/5-mutation.json"
status=0
dev_run_driver ReliabilityCiphertextMutationTest "$out/5-mutation-driver.log" || status=$?
grep -E '^(5-mutation|  body)' "$out/5-mutation-driver.log" || true
dev_finish 5-mutation "$mode" "$status" "$out/5-mutation-driver.log" "$out/5-mutation.json"
echo "5-mutation: PASSED ($mode) $(cat "$out/5-mutation.json")"
