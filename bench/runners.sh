#!/usr/bin/env bash
# Daily-run benchmark per local runner (issue 7): start-up and end-to-end time of one generated
# day on the Direct runner, Flink [local] and the standalone Flink session cluster of
# deploy/flink/cluster.sh, each run through the runnable jar exactly as `./c360 run` does, on a
# fresh embedded PostgreSQL (its own --dataDir), median of RUNS.
#
#   start-up   = a tiny day (scale 0.0001: 100 sales, 10 customers) end to end: JVM, embedded
#                PostgreSQL initdb + start, Flyway, both pipelines' translation and submission
#                (for the cluster: the jar upload), the runner's start, the checks and the summary;
#                the cluster is started with --job-jar (c360 on its classpath, as deploy/README.md says)
#   end-to-end = the same for a day at SCALE (default 0.1: 100,000 sales, 20,000 traffic,
#                ~10,000 customers)
#   db-only    = `c360 migrate` on a fresh --dataDir: the JVM + PostgreSQL + Flyway share of both
#
# Usage: bench/runners.sh [scale] [runs] [runners]   (from anywhere; runners: "direct local cluster")
# Output: a table on stdout and bench/out/runners-<UTC timestamp>.tsv
set -euo pipefail
SCALE=${1:-0.1}
RUNS=${2:-3}
RUNNERS=${3:-direct local cluster}
DAY=2026-03-30
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=${BENCH_DIR:-/tmp/c360-bench-runners}
mkdir -p "$WORK" bench/out
OUT=bench/out/runners-$(date -u +%Y%m%dT%H%M%S).tsv

echo "building the runnable jars ..." >&2
mvn -B -q -o package -DskipTests -Dspotless.check.skip=true >/dev/null
mvn -B -q -o -Pflink package -DskipTests -Dspotless.check.skip=true >/dev/null
DIRECT_JAR=$ROOT/pipelines/target/c360-direct.jar
FLINK_JAR=$ROOT/pipelines/target/c360-flink.jar

gen() { # scale folder
  [ -d "$2/sales" ] || java -jar "$DIRECT_JAR" generate --scale "$1" --days 1 --start "$DAY" \
    --output "$2" >/dev/null
}
gen "$SCALE" "$WORK/day-$SCALE"
gen 0.0001 "$WORK/tiny"

cluster_up=0
stop_cluster() { [ "$cluster_up" = 1 ] && deploy/flink/cluster.sh stop --dir "$WORK/cluster" >/dev/null || true; }
trap stop_cluster EXIT

# one timed run: label jar input [extra args...]; prints "wall run load marts" (seconds)
timed() {
  local label=$1 jar=$2 input=$3; shift 3
  local pg="$WORK/pg-$label" log="$WORK/$label.log"
  rm -rf "$pg"
  local t0 t1
  t0=$(date +%s.%N)
  java -Xss16m -jar "$jar" run --runDate="$DAY" --input="$input" --dataDir="$pg" "$@" >"$log" 2>&1 \
    || { echo "run failed, see $log" >&2; tail -20 "$log" >&2; exit 1; }
  t1=$(date +%s.%N)
  grep -q "SUCCEEDED" "$log" || { echo "run did not succeed, see $log" >&2; exit 1; }
  local run load marts
  run=$(sed -n 's/^== c360 run .*, \([0-9.]*\) s ==$/\1/p' "$log" | head -1)
  load=$(sed -n 's/^stage load *\([0-9.]*\) s.*$/\1/p' "$log" | head -1)
  marts=$(sed -n 's/^stage marts *\([0-9.]*\) s$/\1/p' "$log" | head -1)
  printf '%.1f %s %s %s\n' "$(echo "$t1 - $t0" | bc)" "$run" "$load" "$marts"
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

printf 'runner\tkind\trun\twall_s\trun_s\tload_s\tmarts_s\n' >"$OUT"
db_only() {
  local t0 t1; rm -rf "$WORK/pg-migrate"
  t0=$(date +%s.%N)
  java -jar "$DIRECT_JAR" migrate --dataDir="$WORK/pg-migrate" >/dev/null 2>&1
  t1=$(date +%s.%N)
  printf '%.1f\n' "$(echo "$t1 - $t0" | bc)"
}
for i in $(seq "$RUNS"); do printf 'db\tdb-only\t%s\t%s\t\t\t\n' "$i" "$(db_only)" >>"$OUT"; done

for r in $RUNNERS; do
  case $r in
    direct) jar=$DIRECT_JAR; args=() ;;
    local) jar=$FLINK_JAR; args=(--runner=FlinkRunner '--flinkMaster=[local]' --parallelism=2) ;;
    cluster)
      jar=$FLINK_JAR; args=(--runner=FlinkRunner --flinkMaster=localhost:8081 --parallelism=2)
      if [ "$cluster_up" = 0 ]; then
        t0=$(date +%s.%N); deploy/flink/cluster.sh start --dir "$WORK/cluster" --job-jar "$FLINK_JAR" >/dev/null; cluster_up=1
        printf 'cluster\tcluster-start\t1\t%.1f\t\t\t\n' "$(echo "$(date +%s.%N) - $t0" | bc)" >>"$OUT"
      fi ;;
    *) echo "unknown runner $r" >&2; exit 2 ;;
  esac
  for i in $(seq "$RUNS"); do
    echo "$r run $i ..." >&2
    read -r w run load marts < <(timed "$r-tiny" "$jar" "$WORK/tiny" "${args[@]}")
    printf '%s\tstart-up\t%s\t%s\t%s\t%s\t%s\n' "$r" "$i" "$w" "$run" "$load" "$marts" >>"$OUT"
    read -r w run load marts < <(timed "$r-day" "$jar" "$WORK/day-$SCALE" "${args[@]}")
    printf '%s\tend-to-end\t%s\t%s\t%s\t%s\t%s\n' "$r" "$i" "$w" "$run" "$load" "$marts" >>"$OUT"
  done
done

echo "scale $SCALE, $RUNS runs each, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "medians (s):"
printf '%-8s %-14s %8s %8s %8s %8s\n' runner kind wall run load marts
for key in $(awk -F'\t' 'NR>1 {print $1"/"$2}' "$OUT" | awk '!seen[$0]++'); do
  r=${key%/*}; k=${key#*/}
  col() { awk -F'\t' -v r="$r" -v k="$k" -v c="$1" '$1==r && $2==k && $c!="" {print $c}' "$OUT" | median; }
  printf '%-8s %-14s %8s %8s %8s %8s\n' "$r" "$k" "$(col 4)" "$(col 5)" "$(col 6)" "$(col 7)"
done
echo "raw: $OUT"
