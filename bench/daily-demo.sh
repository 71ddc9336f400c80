#!/usr/bin/env bash
# Daily run at the demo's scale: `c360 demo` (3 days, scale 0.02, seed 42) N times, each with a
# fresh embedded PostgreSQL, one JVM per repetition. Prints per-day total / load / marts seconds,
# then the median of each over all repetitions, plus the load average at the start and end.
# Usage: bench/daily-demo.sh [repetitions=3] [extra demo/Beam args, e.g. --runner=FlinkRunner
#        --flinkMaster=[local] --parallelism=2]. Uses the jar ./c360 would run (built if stale).
set -euo pipefail
cd "$(dirname "$0")/.."
reps="${1:-3}"
shift || true
flavour=direct
for a in "$@"; do [[ "$a" == --runner=FlinkRunner ]] && flavour=flink; done
./c360 "$@" --version >/dev/null 2>&1 || true # builds the jar if needed
jar="$PWD/pipelines/target/c360-$flavour.jar"
work="$(mktemp -d /tmp/c360-daily-demo.XXXXXX)"
port=$((55000 + RANDOM % 1000))
echo "jar $jar, work $work, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$reps"); do
  /usr/bin/time -f "rep $i: wall %e s, cpu %U s user + %S s sys" \
    java ${JAVA_OPTS:-} -jar "$jar" demo --landing "$work/landing" --dataDir "$work/pg-$i" \
    --pgPort "$port" "$@" >"$work/rep-$i.out" 2>"$work/rep-$i.err" || {
    echo "rep $i failed, see $work/rep-$i.out"; exit 1; }
  tail -n 1 "$work/rep-$i.err"
  awk -v rep="$i" '/^== c360 run .* SUCCEEDED/ {d=$7; sub(",", "", d); t=$(NF-2)}
    /^stage load/ {l=$3} /^stage marts/ {print "rep " rep " " d ": total " t " s, load " l " s, marts " $3 " s"}' \
    "$work/rep-$i.out" | tee -a "$work/days.txt"
  rm -rf "$work/pg-$i"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
# median per day over repetitions
for d in $(awk '{print $3}' "$work/days.txt" | sed 's/:$//' | sort -u); do
  for f in total load marts; do
    grep " $d: " "$work/days.txt" | sed -E "s/.* $f ([0-9.]+) s.*/\1/" | sort -n |
      awk -v d="$d" -v f="$f" '{a[NR]=$1} END {printf "%s %s median %.1f s (n=%d)\n", d, f, a[int((NR+1)/2)], NR}'
  done
done
