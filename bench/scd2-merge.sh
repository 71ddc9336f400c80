#!/usr/bin/env bash
# SCD2 merge benchmark: bench/scd2-merge.sh [keys=1000000] [versions=5] [changed=100000] [direct|flink]
# Builds dw.dim_customer in an embedded PostgreSQL, merges `changed` customers three times and
# prints time and dimension rows read per run (see bench/RESULTS.md, "SCD2 merge").
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl transforms test-compile
mvn -B -q -o -pl transforms dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.classpath >/dev/null
exec java -Xmx3g -Dc360.sql.dir=sql \
  -cp "transforms/target/test-classes:transforms/target/classes:$(cat transforms/target/bench.classpath)" \
  io.c360.transforms.scd2.Scd2MergeBench "$@"
