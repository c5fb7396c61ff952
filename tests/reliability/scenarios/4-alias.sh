#!/usr/bin/env bash
# Scenario 4, alias race (docs/reliability.md): UpdateAlias between two keys while Encrypt goes
# by the alias; every ciphertext decrypts, and the key Decrypt reports is the key the audit
# trail recorded for that Encrypt (ReliabilityAliasDriver).
#   --short (CI): 1,000 Encrypts   --long: 10,000 Encrypts
SCENARIO=4-alias
. "$(dirname "$0")/../lib.sh"
parse_mode "$@"
if [[ $MODE == long ]]; then ENCRYPTS=10000; else ENCRYPTS=1000; fi

prepare
server_start a
say "$ENCRYPTS Encrypts by alias while UpdateAlias moves it"
RELIABILITY_ENCRYPTS=$ENCRYPTS driver_checks ReliabilityAliasDriver
