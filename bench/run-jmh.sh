#!/usr/bin/env bash
# JMH microbenchmarks of the hot pieces (docs/performance.md). Extra arguments go to JMH, e.g.
#   bench/run-jmh.sh Authorization      # one benchmark class
#   bench/run-jmh.sh -f 1 -wi 3 -i 5    # more iterations
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B install -DskipTests
./mvnw -q -B -f bench/pom.xml package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
mkdir -p bench/target/results
exec java -Dorg.bouncycastle.fips.approved_only=true \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.openjdk.jmh.Main \
  -f 1 -wi 2 -w 1s -i 3 -r 2s -rf json -rff bench/target/results/jmh.json "$@"
