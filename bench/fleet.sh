#!/usr/bin/env bash
# The Lambda-shaped fleet benchmark (docs/performance.md, "Fleet"): K audit writers, each with its
# own one-connection pool and one append in flight (as K Lambda execution environments: nothing
# to batch), on one PostgreSQL (the test suite's embedded one, fsync and synchronous_commit on),
# through a proxy that delays every packet by FLEET_DELAY_MS each way (the network between a
# Lambda and its database). Mode "chains": each writer on its own chain (this design); mode
# "one-chain": all on one chain under one lease, as the single head row of schema v4–v8 had it.
# Then the whole trail must verify. Writes bench/target/results/fleet-<UTC time>.jsonl.
#   bench/fleet.sh                          K = 1,2,4,8,16, both modes, 10 s each, 1 ms each way
#   FLEET_WRITERS=1,16 FLEET_SECONDS=20 FLEET_DELAY_MS=2 bench/fleet.sh
#   bench/fleet.sh --smoke                  K = 1,2, chains, 2 s each; checks the result file (CI)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WRITERS=${FLEET_WRITERS:-1,2,4,8,16}
MODES=${FLEET_MODES:-chains,one-chain}
DURATION=${FLEET_SECONDS:-10}
WARMUP=${FLEET_WARMUP_SECONDS:-3}
DELAY=${FLEET_DELAY_MS:-1}
SMOKE=false
if [[ ${1:-} == --smoke ]]; then
  SMOKE=true WRITERS=1,2 MODES=chains DURATION=2 WARMUP=1
fi
mkdir -p bench/target/results
OUT=$ROOT/bench/target/results/fleet-$(date -u +%Y%m%dT%H%M%SZ).jsonl
./mvnw -B -q test -Dtest=AuditFleetBench -Dfleet.k="$WRITERS" -Dfleet.modes="$MODES" \
  -Dfleet.seconds="$DURATION" -Dfleet.warmup-seconds="$WARMUP" -Dfleet.delay-ms="$DELAY" \
  -Dfleet.out="$OUT" >&2
python3 - "$OUT" "$WRITERS" "$MODES" <<'PY'
import json, sys
path, writers, modes = sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(",")
rows = [json.loads(l) for l in open(path)]
want = {(m, int(k)) for m in modes for k in writers}
got = {(r["mode"], r["writers"]) for r in rows}
if want != got:
    sys.exit(f"fleet: expected runs {sorted(want)}, got {sorted(got)}")
for r in rows:
    if r["appends"] <= 0 or r["failures"] != 0:
        sys.exit(f"fleet: a run with no appends or with failures: {r}")
print(f"{'mode':<10} {'K':>3} {'chains':>6} {'appends/s':>10} {'mean ms':>8}  vs K=1")
base = {r["mode"]: r["appendsPerSecond"] for r in rows if r["writers"] == 1}
for r in rows:
    ratio = r["appendsPerSecond"] / base[r["mode"]] if r["mode"] in base else float("nan")
    print(f"{r['mode']:<10} {r['writers']:>3} {r['chains']:>6} {r['appendsPerSecond']:>10.0f} {r['meanLatencyMs']:>8.2f}  {ratio:.2f}x")
PY
echo "fleet: results in $OUT" >&2
