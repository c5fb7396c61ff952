#!/usr/bin/env bash
# Scenario 4, alias race (docs/reliability.md): UpdateAlias between two keys while Encrypt goes
# by the alias; every ciphertext decrypts, and the key Decrypt reports is the key the audit
# trail recorded for that Encrypt (ReliabilityAliasDriver).
#   --short (CI): 1,000 Encrypts   --long: 10,000 Encrypts
SCENARIO=4-alias
. "$(dirname "$0")/../lib.sh"
parse_mode "$@"
if [[ $MODE == long ]]; then ENCRYPTS=10000; else ENCRYPTS=1000; fi

ensure_server_jar
driver_setup
pg_setup
pg_start
server_start a
say "$ENCRYPTS Encrypts by alias while UpdateAlias moves it"
status=0
RELIABILITY_ENCRYPTS=$ENCRYPTS driver ReliabilityAliasDriver >"$WORK/driver.log" 2>&1 || status=$?
grep -v SLF4J "$WORK/driver.log"
[[ $status -eq 0 ]] || fail "the driver's checks failed (work dir $WORK)"
audit_verify a
say "audit chain verifies"
