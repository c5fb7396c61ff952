#!/usr/bin/env bash
# Scenario 3, several instances (docs/reliability.md): two servers on one PostgreSQL with one
# root key. Changes that remove access on one are honoured by the other at once (staleness bound
# 0), and 64 concurrent writers on one key break no invariant (ReliabilityInstancesDriver).
#   --short (CI): 17 trials of each of 6 kinds (102), writers for 15 s
#   --long: 167 trials of each kind (1,002), writers for 60 s
SCENARIO=3-instances
. "$(dirname "$0")/../lib.sh"
parse_mode "$@"
if [[ $MODE == long ]]; then TRIALS=167 WRITE_SECONDS=60; else TRIALS=17 WRITE_SECONDS=15; fi

prepare
root_key_for a b
server_launch a
server_launch b
server_wait a
server_wait b
grantee=arn:aws:iam::111122223333:user/reliability-grantee
KMS_DATA_DIR=$WORK/a "$REPO/kms" access-key create --principal "$grantee" >"$WORK/grantee.env"
export RELIABILITY_GRANTEE_ARN=$grantee
RELIABILITY_GRANTEE_KEY_ID=$(sed -n 's/^AWS_ACCESS_KEY_ID=//p' "$WORK/grantee.env")
RELIABILITY_GRANTEE_SECRET=$(sed -n 's/^AWS_SECRET_ACCESS_KEY=//p' "$WORK/grantee.env")
RELIABILITY_ENDPOINT_B=$(. "$WORK/b/dev.env"; echo "$KMS_ENDPOINT")
export RELIABILITY_GRANTEE_KEY_ID RELIABILITY_GRANTEE_SECRET RELIABILITY_ENDPOINT_B
say "$TRIALS staleness trials of each kind across two instances, then 64 writers for" \
  "$WRITE_SECONDS s"
RELIABILITY_TRIALS=$TRIALS RELIABILITY_SECONDS=$WRITE_SECONDS \
  driver_checks ReliabilityInstancesDriver
