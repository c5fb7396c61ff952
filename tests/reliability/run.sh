#!/usr/bin/env bash
# Keyhaven reliability suite (docs/reliability.md).
#   tests/reliability/run.sh [--long] [scenario-name ...]
# Runs tests/reliability/scenarios/<name>.sh (all of them, in lexical order, when none is named;
# a name may omit ".sh"), each in its short (CI) version, or its long one with --long. Each
# scenario starts and stops everything it needs and writes $KMS_RELIABILITY_OUT/<name>.json;
# KMS_RELIABILITY_OUT is a fresh directory, printed first. Exits non-zero if any scenario failed,
# after running the others.
set -uo pipefail
cd "$(dirname "$0")"
mode=--short
names=()
for arg in "$@"; do
  case $arg in
    --long) mode=--long ;;
    --short) mode=--short ;;
    -*) echo "usage: $0 [--long] [scenario-name ...]" >&2; exit 2 ;;
    *) names+=("${arg%.sh}") ;;
  esac
done
if [[ ${#names[@]} -eq 0 ]]; then
  for script in scenarios/*.sh; do names+=("$(basename "$script" .sh)"); done
fi
KMS_RELIABILITY_OUT=$(mktemp -d "${TMPDIR:-/tmp}/keyhaven-reliability-out-XXXXXX")
export KMS_RELIABILITY_OUT
echo "reliability: results in $KMS_RELIABILITY_OUT ($mode)"
failed=()
for name in "${names[@]}"; do
  if [[ ! -x scenarios/$name.sh ]]; then
    echo "reliability: no scenario $name" >&2
    failed+=("$name")
    continue
  fi
  start=$(date +%s)
  if "scenarios/$name.sh" "$mode"; then
    echo "reliability: $name passed in $(( $(date +%s) - start )) s"
  else
    echo "reliability: $name FAILED after $(( $(date +%s) - start )) s" >&2
    failed+=("$name")
  fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "reliability: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "reliability: all ${#names[@]} scenarios passed"
