#!/usr/bin/env bash
# One command, one run: c360 against its floor and against the hand-written SQL it replaces, on
# the same PostgreSQL and the same generated data.
#
#   (a) floor   COPY of the measured day's sales CSV files into one unindexed text table
#   (b) sql     COPY of every entity's files by header into text tables (lz.*), then plain SQL in
#               PostgreSQL (bench/sql/*.sql; the marts are the KPI reference queries): SPEC §2 cleaning, dedup, SCD2
#               customers/products, point-in-time facts with pending rows, the SPEC §4 marts
#   (c) direct  `c360 run` on the Direct runner (c360-direct.jar)
#   (d) flink   `c360 run --runner=FlinkRunner --flinkMaster=[local] --parallelism=2` (c360-flink.jar)
#
# One PostgreSQL for everything: c360's own embedded PostgreSQL 17 (LocalPostgres, the binaries
# and settings `c360 run` uses), started once by bench/BenchDb.java and reached over JDBC by every
# contender (no psql). Every measured run gets a fresh database cloned (CREATE DATABASE … TEMPLATE)
# from its contender's template, so all runs of all contenders start from the same state:
#   --history-days 0: (b), (c), (d) start from an empty warehouse that `c360 migrate` created
#                     ((b) adds its landing tables, bench/sql/00_landing.sql);
#   --history-days H: the data is generated with the day before the measured day carrying H-1
#                     days of history (generate --historyDays), that day is loaded first, untimed
#                     (the backfill: c360 for (c) and (d), bench/sql for (b)),
#                     and the measured run is the next day, with H days of sales behind it.
# Each contender: one warm-up run, then RUNS measured runs, round-robin over the contenders (so a
# change in the machine's load hits all of them); the median is reported.
#
# Usage: bench/run.sh [--scale S] [--history-days H] [--runs N] [--runners direct,flink] [--quick]
#   defaults: scale 0.1, history 0, runs 3, both runners; --quick = scale 0.05, 1 warm-up + 1
#   measured run. --runners=direct (or flink) leaves the other c360 runner out, (a) and (b) always run.
#   The backfill of a history (about scale x 100,000 sales per history day: 3.7 M at scale 0.1,
#   H 365) runs on c360's Direct runner up to 1,000,000 history sales and on Flink
#   [local] above that (the Direct runner keeps a whole run in memory: 6.4 GB RSS at 1 M sales).
#   (meant to take under 5 minutes on a quiet 2-core machine once the jars are built; it took
#   15 minutes at load average 9-24, bench/RESULTS.md).
# Output: a Markdown table on stdout, also in bench/out/run-<UTC timestamp>.md; logs in $BENCH_DIR
# (default /tmp/c360-bench-run).
set -euo pipefail
SCALE=0.1 HIST=0 RUNS=3
quick=0 scale_set="" runs_set="" runners_set="direct,flink"
while [ $# -gt 0 ]; do
  case $1 in
    --scale) scale_set=$2; shift 2 ;;
    --scale=*) scale_set=${1#*=}; shift ;;
    --history-days) HIST=$2; shift 2 ;;
    --history-days=*) HIST=${1#*=}; shift ;;
    --runs) runs_set=$2; shift 2 ;;
    --runs=*) runs_set=${1#*=}; shift ;;
    --runners) runners_set=$2; shift 2 ;;
    --runners=*) runners_set=${1#*=}; shift ;;
    --quick) quick=1; shift ;;
    -h|--help) sed -n '2,/^# (default/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ "$quick" = 1 ] && SCALE=0.05 RUNS=1
[ -n "$scale_set" ] && SCALE=$scale_set
[ -n "$runs_set" ] && RUNS=$runs_set
[[ "$HIST" =~ ^[0-9]+$ && "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "bad --history-days or --runs" >&2; exit 2; }

cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=${BENCH_DIR:-/tmp/c360-bench-run}
DAY=${BENCH_DAY:-2026-03-30}
PREV=$(date -u -d "$DAY - 1 day" +%F)
PORT=$((56000 + RANDOM % 1000))
URL=jdbc:postgresql://localhost:$PORT
CONTENDERS=(floor sql)
for r in ${runners_set//,/ }; do
  case $r in direct|flink) CONTENDERS+=("$r") ;; *) echo "unknown runner $r (direct, flink)" >&2; exit 2 ;; esac
done
mkdir -p "$WORK" bench/out
OUT=bench/out/run-$(date -u +%Y%m%dT%H%M%S).md
t_start=$(date +%s)
log() { echo "[$(date -u +%T)] $*" >&2; }
load_avg() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_START=$(load_avg)

# ------------------------------------------------------------------ jars, helper
log "jars: ./c360 builds them if missing or stale (see .c360/build.log)"
./c360 --version >/dev/null
./c360 --runner=FlinkRunner --version >/dev/null
DIRECT_JAR=$ROOT/pipelines/target/c360-direct.jar
FLINK_JAR=$ROOT/pipelines/target/c360-flink.jar
mkdir -p "$WORK/classes"
javac -nowarn -d "$WORK/classes" -cp "$DIRECT_JAR" bench/BenchDb.java
CP="$WORK/classes:$DIRECT_JAR"
bdb() { java -cp "$CP" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn BenchDb "$@"; }

# ------------------------------------------------------------------ data
LANDING=$WORK/landing-s$SCALE-h$HIST
if [ ! -f "$LANDING/.complete" ]; then
  rm -rf "$LANDING"
  if [ "$HIST" = 0 ]; then
    log "generate: scale $SCALE, 1 day ($DAY)"
    java -jar "$DIRECT_JAR" generate --scale "$SCALE" --days 1 --start "$DAY" --output "$LANDING" >"$WORK/generate.log"
  else
    log "generate: scale $SCALE, $PREV with $((HIST - 1)) days of history before it, then $DAY"
    java -jar "$DIRECT_JAR" generate --scale "$SCALE" --days 2 --start "$PREV" \
      --historyDays $((HIST - 1)) --output "$LANDING" >"$WORK/generate.log"
    # The generator delivers history in --days slices: day k's sales and traffic folders hold the
    # day's own parts, then the parts of history slice k, then the day's last file (the conflicting
    # re-deliveries "the later file wins" resolves, of the day's rows and of the slice's). Move the
    # measured day's history parts to the day before, so the measured day is its own parts plus its
    # last file (which keeps a few backdated conflict rows of the moved slice).
    for e in sales:1000000 traffic:200000; do
      ent=${e%:*}
      own=$(awk -v b="${e#*:}" -v s="$SCALE" 'BEGIN {r = int(b * s + 0.5); if (r < 1) r = 1; print int((r + 249999) / 250000)}')
      part() { basename "$1" | sed -E 's/.*_part-0*([0-9]+)\..*/\1/'; }
      last=0
      for f in "$LANDING/$ent/dt=$DAY"/*; do n=$(part "$f"); if [ "$n" -gt "$last" ]; then last=$n; fi; done
      for f in "$LANDING/$ent/dt=$DAY"/*; do
        n=$(part "$f")
        if [ "$n" -gt "$own" ] && [ "$n" -lt "$last" ]; then mv "$f" "$LANDING/$ent/dt=$PREV/"; fi
      done
    done
  fi
  touch "$LANDING/.complete"
fi
count_rows() { # data rows in the day's sales CSV files (the COPY of (a) checks the same number)
  local n=0 f
  for f in "$LANDING/sales/dt=$1"/*.csv*; do
    case $f in *.gz) n=$((n + $(zcat "$f" | wc -l) - 1)) ;; *) n=$((n + $(wc -l <"$f") - 1)) ;; esac
  done
  echo "$n"
}

# ------------------------------------------------------------------ PostgreSQL
PGDATA=$WORK/pg
rm -rf "$PGDATA"
log "PostgreSQL: c360's embedded PostgreSQL 17 on port $PORT, data in $PGDATA"
java -cp "$CP" BenchDb serve "$PGDATA" "$PORT" >"$WORK/pg-serve.log" 2>&1 & # SIGTERM stops it
PG_PID=$!
SAMPLER_PID=""
cleanup() {
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null || true
  kill "$PG_PID" 2>/dev/null && wait "$PG_PID" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 120); do grep -q '^ready' "$WORK/pg-serve.log" 2>/dev/null && break; sleep 0.5; done
grep -q '^ready' "$WORK/pg-serve.log" || { cat "$WORK/pg-serve.log" >&2; exit 1; }
POSTMASTER=$(head -1 "$PGDATA/postmaster.pid")
admin() { bdb admin "$URL/postgres" "$@"; }
q() { bdb query "$URL/$1" "$2"; }

# Peak PSS of the PostgreSQL server (postmaster + its backends), sampled every 0.5 s into $1;
# bash builtins only, so the sampler costs next to nothing on a 2-core machine.
sample_pss() {
  local max=0 s p k v _ kids
  while :; do
    s=0 kids=()
    { read -r -a kids <"/proc/$POSTMASTER/task/$POSTMASTER/children"; } 2>/dev/null || true
    for p in "$POSTMASTER" "${kids[@]}"; do
      { while read -r k v _; do [ "$k" = Pss: ] && s=$((s + v)); done <"/proc/$p/smaps_rollup"; } 2>/dev/null || true
    done
    if [ "$s" -gt "$max" ]; then max=$s; echo "$max" >"$1"; fi
    sleep 0.5
  done
}

# ------------------------------------------------------------------ templates
log "templates: tpl_floor, tpl_sql (c360 migrate + bench/sql/00_landing.sql), tpl_c360 (c360 migrate)"
admin "CREATE DATABASE tpl_floor" "CREATE DATABASE tpl_sql" "CREATE DATABASE tpl_c360"
bdb admin "$URL/tpl_floor" "CREATE SCHEMA floor" "CREATE TABLE floor.sales (
  transaction_id text, order_id text, customer_id text, product_id text, shop_id text,
  quantity text, unit_price text, amount text, status text, transaction_ts text,
  x1 text, x2 text, x3 text, x4 text)"
for db in tpl_sql tpl_c360; do
  java -jar "$DIRECT_JAR" migrate --jdbcUrl="$URL/$db" --dbUser=postgres >"$WORK/migrate-$db.log" 2>&1 \
    || { tail -20 "$WORK/migrate-$db.log" >&2; exit 1; }
done
bdb admin "$URL/tpl_sql" "$(cat bench/sql/00_landing.sql)"
# (b)'s marts are the project's plain-SQL KPI reference (the queries the KPI tests compare c360's
# marts with), each wrapped in DELETE + INSERT for as_of = the run date: one definition, not a copy.
SQL_DIR=$WORK/sql
rm -rf "$SQL_DIR" && mkdir -p "$SQL_DIR" && cp bench/sql/*.sql "$SQL_DIR"/
{
  echo "-- (b) step 4, one transaction: every mart of SPEC §4 for as_of = the run date, generated by"
  echo "-- bench/run.sh from transforms/src/test/resources/kpi_reference/*.sql."
  for f in transforms/src/test/resources/kpi_reference/*.sql; do
    m=$(basename "$f" .sql)
    echo "DELETE FROM mart.$m WHERE as_of = \${run_date};"
    echo "INSERT INTO mart.$m"
    grep -v '^[[:space:]]*--' "$f" | sed -e 's/:as_of/${run_date}/g' -e "s/:tz/'UTC'/g"
    echo ";"
  done
} >"$SQL_DIR/40_marts.sql"
if [ "$HIST" -gt 0 ]; then
  backfill=(java -jar "$DIRECT_JAR" run) backfill_name=Direct
  if awk -v s="$SCALE" -v h="$HIST" 'BEGIN {exit !(s * 100000 * (h - 1) > 1000000)}'; then
    backfill=(java -jar "$FLINK_JAR" run --runner=FlinkRunner '--flinkMaster=[local]' --parallelism=2) backfill_name="Flink [local] p2"
  fi
  log "backfill $PREV (untimed): c360 $backfill_name into tpl_c360, bench/sql into tpl_sql"
  "${backfill[@]}" --runDate="$PREV" --input="$LANDING" --jdbcUrl="$URL/tpl_c360" \
    --dbUser=postgres >"$WORK/backfill-c360.log" 2>&1 || { tail -30 "$WORK/backfill-c360.log" >&2; exit 1; }
  bdb sqlrun "$URL/tpl_sql" "$LANDING" "$PREV" "$SQL_DIR" >"$WORK/backfill-sql.log" 2>&1 \
    || { tail -30 "$WORK/backfill-sql.log" >&2; exit 1; }
fi
admin "CHECKPOINT"

# ------------------------------------------------------------------ one run
# run_one CONTENDER TAG: fresh database run_<contender> from its template, the contender's process
# under /usr/bin/time, PostgreSQL sampled; leaves $WORK/runs/<contender>-<tag>.{log,time,pss}.
mkdir -p "$WORK/runs"
run_one() {
  local c=$1 tag=$2 tpl db="run_$1" base="$WORK/runs/$1-$2"
  case $c in floor) tpl=tpl_floor ;; sql) tpl=tpl_sql ;; *) tpl=tpl_c360 ;; esac
  admin "DROP DATABASE IF EXISTS $db" "CREATE DATABASE $db TEMPLATE $tpl"
  local cmd
  case $c in
    floor) cmd=(java -cp "$CP" BenchDb floor "$URL/$db" "$LANDING" "$DAY") ;;
    sql) cmd=(java -cp "$CP" BenchDb sqlrun "$URL/$db" "$LANDING" "$DAY" "$SQL_DIR") ;;
    direct) cmd=(java -jar "$DIRECT_JAR" run --runDate="$DAY" --input="$LANDING" --jdbcUrl="$URL/$db" --dbUser=postgres) ;;
    flink) cmd=(java -jar "$FLINK_JAR" run --runDate="$DAY" --input="$LANDING" --jdbcUrl="$URL/$db" --dbUser=postgres
      --runner=FlinkRunner '--flinkMaster=[local]' --parallelism=2) ;;
  esac
  echo 0 >"$base.pss"
  sample_pss "$base.pss" &
  SAMPLER_PID=$!
  local rc=0
  /usr/bin/time -f '%e %M' -o "$base.time" "${cmd[@]}" >"$base.log" 2>&1 || rc=$?
  kill "$SAMPLER_PID"; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""
  if [ "$rc" != 0 ] || { [[ $c == direct || $c == flink ]] && ! grep -q '^== c360 run .* SUCCEEDED' "$base.log"; }; then
    echo "$c run $tag failed (exit $rc), see $base.log:" >&2; tail -30 "$base.log" >&2; exit 1
  fi
  log "$c $tag: $(cut -d' ' -f1 "$base.time") s wall"
}

log "warm-up round, then $RUNS measured round(s): ${CONTENDERS[*]}"
for c in "${CONTENDERS[@]}"; do run_one "$c" warmup; done
for i in $(seq "$RUNS"); do
  for c in "${CONTENDERS[@]}"; do run_one "$c" "$i"; done
done
LOAD_END=$(load_avg)

# ------------------------------------------------------------------ figures
median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print ""; else if (NR % 2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
# per-run values of one contender: field = wall | rss | pss | stage:<name> | summary
#   | busy:<read+parse|transform|write> (the load stage's busy time per part, summed over threads)
values() {
  local c=$1 f=$2 i base
  for i in $(seq "$RUNS"); do
    base="$WORK/runs/$c-$i"
    case $f in
      wall) cut -d' ' -f1 "$base.time" ;;
      secs) if [[ $c == floor || $c == sql ]]; then awk '$1 == "total" {print $2}' "$base.log"; else cut -d' ' -f1 "$base.time"; fi ;;
      rss) cut -d' ' -f2 "$base.time" ;;
      pss) cat "$base.pss" ;;
      total) awk '$1 == "total" {print $2}' "$base.log" ;;
      summary) sed -n 's/^== c360 run .*, \([0-9.]*\) s ==$/\1/p' "$base.log" | head -1 ;;
      stage:*) awk -v s="${f#stage:}" '$1 == "stage" && $2 == s {print $3}' "$base.log" | head -1 ;;
      busy:*) sed -n "s/^stage load .*[:,] ${f#busy:} \([0-9.]*\) s.*/\1/p" "$base.log" | head -1 ;;
    esac
  done
}
med() { values "$1" "$2" | median; }
fmt() { [ -z "$1" ] && { echo "-"; return; }; printf "%.${2:-1}f" "$1"; }
mb() { [ -z "$1" ] && { echo "-"; return; }; awk -v k="$1" 'BEGIN {printf "%.0f MB", k / 1024}'; }

SALES_ROWS=$(count_rows "$DAY")
floor_rows=$(awk '$1 == "rows" && $2 == "sales" {print $3}' "$WORK/runs/floor-1.log")
[ "$floor_rows" = "$SALES_ROWS" ] || log "note: COPY landed $floor_rows sales rows, the files hold $SALES_ROWS data lines (quoted line breaks)"
SALES_ROWS=$floor_rows
declare -A WALL RPS
for c in "${CONTENDERS[@]}"; do
  WALL[$c]=$(med "$c" secs)
  RPS[$c]=$(awk -v n="$SALES_ROWS" -v s="${WALL[$c]}" 'BEGIN {printf "%.0f", n / s}')
done
ratio() { awk -v a="${WALL[$1]}" -v b="${WALL[sql]}" 'BEGIN {printf "%.2fx", a / b}'; }
pct() { awk -v a="${RPS[$1]}" -v b="${RPS[floor]}" 'BEGIN {printf "%.1f %%", 100 * a / b}'; }
thousands() { echo "$1" | sed -E ':a; s/([0-9])([0-9]{3})($|,)/\1,\2\3/; ta'; }
runs_list() { values "$1" secs | paste -sd/ | sed 's|/| / |g'; }
stages() {
  case $1 in
    floor) echo "COPY $(fmt "$(med floor stage:copy)")" ;;
    sql) echo "COPY $(fmt "$(med sql stage:copy)") / clean $(fmt "$(med sql stage:clean)") / dims $(fmt "$(med sql stage:dimensions)") / facts $(fmt "$(med sql stage:facts)") / marts $(fmt "$(med sql stage:marts)")" ;;
    *)
      local tot load marts
      tot=$(med "$1" summary); load=$(med "$1" stage:load); marts=$(med "$1" stage:marts)
      echo "load $(fmt "$load") (busy over threads: read+parse $(fmt "$(med "$1" busy:read+parse)"), transform $(fmt "$(med "$1" busy:transform)"), write $(fmt "$(med "$1" busy:write)")) / marts $(fmt "$marts") / rest of run $(awk -v t="$tot" -v l="$load" -v m="$marts" 'BEGIN {printf "%.1f", t - l - m}') (summary total $(fmt "$tot"))" ;;
  esac
}
name() {
  case $1 in
    floor) echo "(a) floor: COPY sales files into one unindexed text table" ;;
    sql) echo "(b) COPY by header + plain SQL (bench/sql)" ;;
    direct) echo "(c) c360 run, Direct runner" ;;
    flink) echo "(d) c360 run, Flink [local], parallelism 2" ;;
  esac
}

# reconciliation of the measured day's sales (last measured run of each contender)
sales_counts() {
  local c=$1 log="$WORK/runs/$1-$RUNS.log"
  case $c in
    sql) q run_sql "SELECT read, loaded, quarantined, deduplicated, pending FROM lz.run_counts WHERE entity = 'sales' AND run_id = (SELECT max(run_id) FROM lz.run_counts)" | tr '\t' ' ' ;;
    direct|flink) awk '$1 == "sales" && NF >= 8 {print $2, $3, $4, $5, $6; exit}' "$log" ;;
  esac
}
MARTS="customer_ytd_spending customer_days_since_last_purchase customer_revenue_by_period customer_360 industry_exposure segment_share segment_changes_12m top_customers consistent_top_customers numeric_stats customer_value_band daily_sales monthly_sales product_performance anomalies traffic_revenue_by_period"
mart_counts() {
  local sql="" m
  for m in $MARTS; do sql="$sql${sql:+ || '/' || }(SELECT count(*) FROM mart.$m WHERE as_of = '$DAY')"; done
  q "run_$1" "SELECT (SELECT count(*) FROM dw.fact_sales) || ' / ' || (SELECT count(*) FROM dw.dim_customer) || ' / ' || (SELECT count(*) FROM dq.rejected_rows) || ' / ' || (SELECT count(*) FROM dq.pending_rows), $sql"
}

{
  echo "bench/run.sh: scale $SCALE, measured day $DAY$([ "$HIST" -gt 0 ] && echo " with $HIST days of history loaded before it (backfill of $PREV, untimed)"), $SALES_ROWS sales rows in the day's files; warm-up 1, median of $RUNS; $(date -u '+%F %H:%M UTC'), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo '+changes'); load average $LOAD_START at start, $LOAD_END at end; $(nproc) cores"
  echo
  echo "| contender | seconds (median of $RUNS) | runs (s) | process wall s | sales rows/s | % of (a) rows/s | ratio to (b) | peak RSS of the process | PostgreSQL peak PSS | stages, median s |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for c in "${CONTENDERS[@]}"; do
    echo "| $(name "$c") | $(fmt "${WALL[$c]}" 2) | $(runs_list "$c") | $(fmt "$(med "$c" wall)") | $(thousands "${RPS[$c]}") | $(pct "$c") | $(ratio "$c") | $(mb "$(med "$c" rss)") | $(mb "$(med "$c" pss)") | $(stages "$c") |"
  done
  echo
  echo "Sales reconciliation of the measured day (read / loaded / quarantined / deduplicated / pending) and warehouse after the run (fact_sales / dim_customer versions / rejected rows / pending rows; then rows of each of the 16 marts for as_of $DAY: $(echo "$MARTS" | tr ' ' '/')):"
  echo
  echo "| contender | sales read / loaded / quarantined / deduplicated / pending | warehouse | mart rows |"
  echo "|---|---|---|---|"
  for c in "${CONTENDERS[@]:1}"; do
    mc=$(mart_counts "$c")
    echo "| $(name "$c" | cut -d' ' -f1) $c | $(sales_counts "$c" | tr ' ' '/' | sed 's|/| / |g') | $(cut -f1 <<<"$mc") | $(cut -f2 <<<"$mc") |"
  done
  echo
  echo "seconds: (a) and (b) = their client's own clock, from an open connection to the last commit (the client is a small JVM, bench/BenchDb.java, standing in for psql; its start-up is left out, the process wall column has it); (c) and (d) = the process wall clock of \`java -jar c360-<runner>.jar run\` as a user runs it (JVM, Flyway validate, lock, load pipeline, reconciliation, checks, KPI pipeline, summary). rows/s = sales rows in the day's files / seconds; ratio to (b) = seconds / seconds of (b). Stages: (b) per script, each one transaction; c360 = the run summary's stage load and stage marts, rest = summary total - both (migrate check, lock, checks, run record); the load stage's read+parse / transform / write are its steps' busy time as the summary prints it (Beam counters of the time spent parsing files, cleaning and deduplicating, and in PostgreSQL; summed over the runner's threads, so they can add up to more than the stage; what the stage's wall clock has beyond them is the runner: shuffles, coders, scheduling). Every run starts on a fresh clone of its contender's template database, on the one PostgreSQL server. Peak RSS = the contender's process (/usr/bin/time %M); PostgreSQL peak PSS = postmaster + backends, sampled every 0.5 s (includes the shared buffers touched so far)."
} | tee "$OUT"
log "done in $(( $(date +%s) - t_start )) s; table in $OUT, logs in $WORK/runs"
