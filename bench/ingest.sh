#!/usr/bin/env bash
# Ingest benchmark: a 1,000,000-row sales CSV read through ReadEntity (count rows),
# median of 3 runs on the Direct runner and on Flink local (2 slots).
# Usage: bench/ingest.sh [rows] [runs]   (from the repository root)
set -euo pipefail
ROWS=${1:-1000000}
RUNS=${2:-3}
DATA=${BENCH_DIR:-/tmp/c360-bench-ingest}
cd "$(dirname "$0")/.."
mvn -B -q -o -pl transforms test-compile
mvn -B -q -o -pl transforms dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt
CP="transforms/target/classes:transforms/target/test-classes:$(cat transforms/target/bench-classpath.txt)"
run() { java -Xmx3g -cp "$CP" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  io.c360.transforms.ingest.IngestBench "$DATA" "$ROWS" "$RUNS" "$@"; }
echo "== Direct"; run --runner=DirectRunner
echo "== Flink local"; run --runner=FlinkRunner '--flinkMaster=[local]' --parallelism=2
