#!/usr/bin/env bash
# Scenario 6, hostile input (docs/reliability.md): AWS-limit breakers, JSON bombs, duplicate
# members, invalid UTF-8, wrong member types and 1,000 slow-loris connections against a server of
# its own, with healthy Encrypt traffic alongside. Each must get its 4xx fast, the slow ones be
# cut by the idle timeout, the heap stay bounded and the healthy p99 stay within 2x its baseline.
#   6-hostile.sh [--short|--long]   short: each case 5 + 5 times, 10 s trickle (CI);
#                                   long: each case 5 + 50 times, 120 s trickle
# (warm-up sends, answers checked, then measured sends: the medians are of compiled code)
# Writes $KMS_RELIABILITY_OUT/6-hostile.json; exits non-zero on any failure.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
. "$ROOT/tests/reliability/dev-server.sh"

mode=${1:---short}
case $mode in
  --short) repeat=5 baseline=10 trickle=10 ;;
  --long) repeat=50 baseline=30 trickle=120 ;;
  *) echo "usage: $0 [--short|--long]" >&2; exit 2 ;;
esac
out=${KMS_RELIABILITY_OUT:-/tmp}
mkdir -p "$out"
# 1,000 client sockets plus the server's own: well within a default limit of 1024 only barely.
[[ $(ulimit -n) -ge 4096 ]] || ulimit -n 4096
trap dev_server_stop EXIT

dev_server_start "$out/6-hostile-server.log"
export RELIABILITY_REPEAT=$repeat RELIABILITY_WARMUP=5 RELIABILITY_LORIS=1000
export RELIABILITY_JSON="$out/6-hostile.json"
export RELIABILITY_BASELINE_SECONDS=$baseline RELIABILITY_TRICKLE_SECONDS=$trickle
rm -f "$out/6-hostile.json"
status=0
dev_run_driver ReliabilityHostileInputTest "$out/6-hostile-driver.log" || status=$?
grep -E '^6-hostile FAILURE' "$out/6-hostile-driver.log" || true
dev_finish 6-hostile "$mode" "$status" "$out/6-hostile-driver.log" "$out/6-hostile.json"
summary=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); h = d["healthy"]; s = d["slowLoris"]
print("%d cases; healthy p99 %s ms baseline, %s / %s ms during; slow loris %d/%d cut" % (
    len(d["cases"]), h["baselineP99Ms"], h["hostileP99Ms"], h["lorisP99Ms"], s["cut"],
    s["opened"]))' "$out/6-hostile.json")
echo "6-hostile: PASSED ($mode) $summary"
