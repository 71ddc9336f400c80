#!/usr/bin/env bash
# Does the standalone Flink session cluster of deploy/flink/cluster.sh survive many daily runs?
# Starts it, runs a tiny generated day (scale 0.0001, two Flink jobs: load and marts) RUNS times
# through c360-flink.jar, and after each run forces a full GC in the TaskManager (jcmd) and reads
# its metaspace use and class counts (jstat): a user-code class loader that is never released
# shows as metaspace growing by the job's classes every run until the TaskManager dies of
# "OutOfMemoryError: Metaspace".
#
# Usage: bench/cluster-jobs.sh [runs]   (needs pipelines/target/c360-flink.jar: mvn -Pflink package)
set -euo pipefail
RUNS=${1:-6}
[ $# -gt 0 ] && shift
CLUSTER_ARGS=("$@") # e.g. --job-jar pipelines/target/c360-flink.jar
cd "$(dirname "$0")/.."
WORK=${BENCH_DIR:-/tmp/c360-bench-cluster-jobs}
JAR=$PWD/pipelines/target/c360-flink.jar
DAY=2026-03-30
mkdir -p "$WORK"
[ -d "$WORK/tiny/sales" ] || java -jar "$JAR" generate --scale 0.0001 --days 1 --start "$DAY" \
  --output "$WORK/tiny" >/dev/null
rm -rf "$WORK/cluster"
deploy/flink/cluster.sh start --dir "$WORK/cluster" --port 8091 --rpc-port 6133 "${CLUSTER_ARGS[@]}" >/dev/null
trap 'deploy/flink/cluster.sh stop --dir "$WORK/cluster" >/dev/null' EXIT
tm=$(cat "$WORK/cluster/taskmanager-1.pid")
stat() { # metaspace used MB, classes loaded, classes unloaded (after a full GC)
  jcmd "$tm" GC.run >/dev/null
  local mu loaded unloaded
  mu=$(jstat -gc "$tm" | awk 'NR==2 {for (i=1;i<=NF;i++) if (h[i]=="MU") print int($i/1024)} NR==1 {for (i=1;i<=NF;i++) h[i]=$i}')
  read -r loaded _ unloaded _ < <(jstat -class "$tm" | awk 'NR==2 {print $1, $2, $3, $4}')
  echo "$mu $loaded $unloaded"
}
printf 'run\tstatus\tjobs\tmetaspace_used_MB\tclasses_loaded\tclasses_unloaded\n'
printf '0\t-\t0\t%s\n' "$(stat | tr ' ' '\t')"
for i in $(seq "$RUNS"); do
  rm -rf "$WORK/pg"
  status=SUCCEEDED
  java -Xss16m -jar "$JAR" run --runDate="$DAY" --input="$WORK/tiny" --dataDir="$WORK/pg" \
    --runner=FlinkRunner --flinkMaster=localhost:8091 --parallelism=2 >"$WORK/run-$i.log" 2>&1 \
    || status=FAILED
  grep -q SUCCEEDED "$WORK/run-$i.log" || status=FAILED
  if ! kill -0 "$tm" 2>/dev/null; then
    printf '%s\t%s\t%s\tTaskManager gone: %s\n' "$i" "$status" $((2 * i)) \
      "$(grep -o 'OutOfMemoryError: [A-Za-z]*' "$WORK/cluster/log/taskmanager-1.log" | head -1)"
    exit 1
  fi
  printf '%s\t%s\t%s\t%s\n' "$i" "$status" $((2 * i)) "$(stat | tr ' ' '\t')"
done
