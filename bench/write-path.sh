#!/usr/bin/env bash
# Write-path benchmark: JdbcIO batched inserts vs PgCopyWrite (COPY), same rows, same embedded
# PostgreSQL, median of 3. Usage: bench/write-path.sh [rows]  (default 1,000,000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
out="$PWD/bench/out/write-path.md"
mkdir -p bench/out
mvn -B -q -Dspotless.check.skip=true -DskipTests install >/dev/null
mvn -B -q -Dspotless.check.skip=true -pl pipelines test -Dtest=WritePathBench \
  -Dsurefire.failIfNoSpecifiedTests=false -Dbench.rows="$rows" -Dbench.out="$out" \
  -DargLine=-Xmx6g
tail -n 1 "$out"
