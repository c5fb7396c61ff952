#!/usr/bin/env bash
# JMH microbenchmarks of the hot pieces (docs/performance.md). Arguments go to JMH, e.g.
#   bench/run-jmh.sh                     # everything: 1 fork, 3 x 1 s warm-up, 5 x 1 s measured
#   bench/run-jmh.sh Authorization       # one benchmark class, same settings
#   bench/run-jmh.sh -f 2 -i 10 Envelope # your own settings replace the defaults
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B install -DskipTests
./mvnw -q -B -f bench/pom.xml package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
mkdir -p bench/target/results
defaults=(-f 1 -wi 3 -w 1s -i 5 -r 1s)
for arg in "$@"; do [[ $arg == -* ]] && defaults=(); done
exec java -Dorg.bouncycastle.fips.approved_only=true \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.openjdk.jmh.Main \
  "${defaults[@]}" -rf json -rff bench/target/results/jmh.json "$@"
