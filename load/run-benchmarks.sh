#!/usr/bin/env bash
# Builds the project and runs every benchmark of load/ in sequence on Temurin 25, printing the
# tables that load/BENCHMARKS.md records. Run from anywhere; results go to load/target/results/.
#
#   load/run-benchmarks.sh            # the documented settings (about 12 minutes)
#   QUICK=1 load/run-benchmarks.sh    # short settings for a smoke test (about 4 minutes; not for the record)
set -euo pipefail

cd "$(dirname "$0")/.."
JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
JAR=load/target/benchmarks.jar
OUT=load/target/results
mkdir -p "$OUT"

mvn -B -q -DskipTests install
"$JAVA" -version 2>&1 | head -1
echo "machine: $(nproc) cores (shared with other work), $(uname -sr)"

if [[ "${QUICK:-0}" == "1" ]]; then
  JMH_TIME=(-wi 1 -w 2 -i 2 -r 2)
  GATEWAY_ARGS=(10 32)
  OVERLOAD_ARGS=(8 10)
else
  JMH_TIME=()            # the classes' own settings
  GATEWAY_ARGS=(20 32)
  OVERLOAD_ARGS=(30 20)
fi

echo
echo "== SchedulerBenchmark (baseline: strategy=round-robin, shape=single)"
"$JAVA" -jar "$JAR" SchedulerBenchmark "${JMH_TIME[@]}" -rf json -rff "$OUT/scheduler.json" | grep -E 'steady state|cycles: queue|^Benchmark|^SchedulerBenchmark'
"$JAVA" -cp "$JAR" io.tensorforge.load.JmhTable "$OUT/scheduler.json" strategy=round-robin,shape=single

echo
echo "== RoutingDecisionBenchmark (baseline: strategy=round-robin at the same fleet size)"
"$JAVA" -jar "$JAR" RoutingDecisionBenchmark -p endpoints=3,16,1000 "${JMH_TIME[@]}" -rf json -rff "$OUT/routing.json" \
  | grep -E '^Benchmark|^RoutingDecisionBenchmark'
"$JAVA" -cp "$JAR" io.tensorforge.load.JmhTable "$OUT/routing.json" strategy=round-robin

echo
echo "== GatewayOverheadRun ${GATEWAY_ARGS[*]} (baseline: straight to the endpoint)"
"$JAVA" -cp "$JAR" io.tensorforge.load.GatewayOverheadRun "${GATEWAY_ARGS[@]}" 2>&1 | grep -E '^\||^ratio|^concurrency'

echo
echo "== OverloadRun ${OVERLOAD_ARGS[*]} (baseline: the same node at 1x its fleet's capacity)"
"$JAVA" -cp "$JAR" io.tensorforge.load.OverloadRun "${OVERLOAD_ARGS[@]}" 2>&1 | grep -E '^\||^ratio|^fleet|^[0-9]+ s per phase|^queue wait|served \(200\)'
