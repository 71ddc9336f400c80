#!/usr/bin/env bash
# A standalone Flink 1.19 session cluster on this machine, built from Maven jars (no Flink
# distribution needed): one JobManager JVM and N TaskManager JVMs (default 1), all bound to 127.0.0.1.
#
#   deploy/flink/cluster.sh start  [--job-jar JAR] [--port 8081] [--rpc-port 6123] [--slots 2]
#                                  [--taskmanagers 1] [--dir DIR]
#   deploy/flink/cluster.sh status [--port 8081] [--dir DIR]
#   deploy/flink/cluster.sh stop   [--dir DIR]
#
# Then: ./c360 run --runner=FlinkRunner --flinkMaster=localhost:8081 --parallelism=2 ...
# Needs only Java 17 and Maven. DIR (default deploy/flink/.cluster) holds the config, the cached
# classpath, pid files (jobmanager.pid, taskmanager-1.pid ...), logs and Flink's temporary directories.
# --slots is per TaskManager; each TaskManager is a separate JVM of about 2.3 GB (the memory below)
# whose RPC and data ports Flink picks free, so N TaskManagers never collide.
# --job-jar (pipelines/target/c360-flink.jar, from mvn -Pflink package) puts c360 on the cluster's
# own classpath, parent-first, for a cluster that serves more than a few runs: without it every
# job loads Beam and c360 into a new class loader that Beam never releases, and the TaskManager
# dies of "OutOfMemoryError: Metaspace" after about 4 daily runs (bench/cluster-jobs.sh). Restart
# the cluster after rebuilding the jar.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cmd="${1:-}"
[[ $# -gt 0 ]] && shift
port=8081
rpc_port=6123
slots=2
taskmanagers=1
dir="${C360_FLINK_DIR:-$here/.cluster}"
timeout_s=120
job_jar=""

usage() {
  sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 2
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --port=*) port="${1#*=}"; shift ;;
    --rpc-port) rpc_port="$2"; shift 2 ;;
    --rpc-port=*) rpc_port="${1#*=}"; shift ;;
    --slots) slots="$2"; shift 2 ;;
    --slots=*) slots="${1#*=}"; shift ;;
    --taskmanagers) taskmanagers="$2"; shift 2 ;;
    --taskmanagers=*) taskmanagers="${1#*=}"; shift ;;
    --dir) dir="$2"; shift 2 ;;
    --dir=*) dir="${1#*=}"; shift ;;
    --timeout) timeout_s="$2"; shift 2 ;;
    --job-jar) job_jar="$2"; shift 2 ;;
    --job-jar=*) job_jar="${1#*=}"; shift ;;
    -h|--help) usage ;;
    *) echo "unknown option: $1" >&2; usage ;;
  esac
done

for n in "$slots" "$taskmanagers"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "--slots and --taskmanagers take a positive number: $n" >&2; exit 2; }
done

mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
conf="$dir/conf"
log="$dir/log"

# Same JVM flags as Flink's own config.yaml for Java 17 (Kryo and Pekko reflect into the JDK).
java_opens=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

http_get() {
  if command -v curl >/dev/null; then
    curl -fsS --max-time 5 "http://127.0.0.1:$port$1" 2>/dev/null
    return
  fi
  # No curl: plain HTTP/1.0 over bash's /dev/tcp.
  local resp
  exec 3<>"/dev/tcp/127.0.0.1/$port" 2>/dev/null || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$1" >&3
  resp="$(cat <&3)"
  exec 3>&-
  [[ "$resp" == "HTTP/1."?" 200"* ]] || return 1
  printf '%s' "${resp#*$'\r\n\r\n'}"
}

classpath() {
  local cp="$dir/classpath.txt"
  if [[ ! -s "$cp" || "$here/pom.xml" -nt "$cp" ]]; then
    echo "resolving the Flink classpath with Maven (deploy/flink/pom.xml)..." >&2
    local out
    if ! out="$(mvn -B -q -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cp" 2>&1)"; then
      echo "$out" >&2
      exit 1
    fi
  fi
  cat "$cp"
}

write_config() {
  mkdir -p "$conf" "$log" "$dir/tmp" "$dir/blob" "$dir/web"
  # Every TaskManager memory component is explicit: the Flink shell scripts normally derive them
  # (BashJavaUtils) and TaskManagerRunner refuses to start without them.
  cat >"$conf/config.yaml" <<EOF
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: $rpc_port
jobmanager.bind-host: 127.0.0.1
jobmanager.memory.process.size: 1536m
jobmanager.memory.heap.size: 1024m
jobmanager.memory.off-heap.size: 128m
jobmanager.memory.jvm-metaspace.size: 256m
jobmanager.memory.jvm-overhead.min: 128m
jobmanager.memory.jvm-overhead.max: 128m
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $port
taskmanager.host: 127.0.0.1
taskmanager.bind-host: 127.0.0.1
# 0 = a free port per TaskManager (Flink's default, written out because N TaskManagers share this file).
taskmanager.rpc.port: 0
taskmanager.data.port: 0
taskmanager.numberOfTaskSlots: $slots
taskmanager.cpu.cores: $slots
taskmanager.memory.framework.heap.size: 128m
taskmanager.memory.task.heap.size: 1024m
taskmanager.memory.managed.size: 128m
taskmanager.memory.framework.off-heap.size: 128m
taskmanager.memory.task.off-heap.size: 0m
taskmanager.memory.network.min: 512m
taskmanager.memory.network.max: 512m
# c360 runs Flink batch jobs with BATCH_FORCED (blocking exchanges; see RunnerDefaults). Each
# blocking partition of the sort shuffle reserves this many buffers (Flink's default, 512, exhausts
# the pool when a daily load's many partitions are live at once).
taskmanager.network.sort-shuffle.min-buffers: 64
taskmanager.memory.jvm-metaspace.size: 256m
taskmanager.memory.jvm-overhead.min: 192m
taskmanager.memory.jvm-overhead.max: 192m
parallelism.default: $slots
high-availability.type: NONE
io.tmp.dirs: $dir/tmp
blob.storage.directory: $dir/blob
web.tmpdir: $dir/web
web.upload.dir: $dir/web
classloader.check-leaked-classloader: false
EOF
  if [[ -n "$job_jar" ]]; then
    # c360's classes come from the cluster classpath (loaded once), not from each job's jar.
    echo "classloader.resolve-order: parent-first" >>"$conf/config.yaml"
  fi
}

pid_alive() {
  [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null
}

# The pid-file names of this cluster's JVMs: the TaskManagers (taskmanager-1 ..., and a plain
# "taskmanager" left by an older cluster.sh), then the JobManager, in the order stop needs.
jvm_names() {
  local f
  for f in "$dir"/taskmanager*.pid; do
    [[ -e "$f" ]] && basename "$f" .pid
  done
  echo jobmanager
}

# start_jvm NAME MAIN JVM-OPTION... [-- FLINK-OPTION...]
start_jvm() {
  local name="$1" main="$2"
  shift 2
  local jvm=() prog=()
  while [[ $# -gt 0 && "$1" != "--" ]]; do jvm+=("$1"); shift; done
  [[ $# -gt 0 ]] && shift
  prog=("$@")
  nohup java "${java_opens[@]}" "${jvm[@]}" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=info \
    -Dorg.slf4j.simpleLogger.showDateTime=true \
    -Dlog.file="$log/$name.log" \
    -cp "$cp" "$main" --configDir "$conf" "${prog[@]}" >"$log/$name.log" 2>&1 </dev/null &
  echo $! >"$dir/$name.pid"
}

ready() {
  # Ready = the REST API answers and all N TaskManagers are registered with their slots free.
  local o
  o="$(http_get /overview)" || return 1
  [[ "$o" =~ \"taskmanagers\":([0-9]+) ]] && ((BASH_REMATCH[1] >= taskmanagers)) || return 1
  [[ "$o" =~ \"slots-available\":([0-9]+) ]] && ((BASH_REMATCH[1] >= taskmanagers * slots)) || return 1
}

start() {
  local p
  for p in $(jvm_names); do
    if pid_alive "$dir/$p.pid"; then
      echo "already running (pids in $dir); stop it first" >&2
      exit 1
    fi
    rm -f "$dir/$p.pid"
  done
  cp="$(classpath)"
  if [[ -n "$job_jar" ]]; then
    [[ -f "$job_jar" ]] || { echo "--job-jar: no such file: $job_jar" >&2; exit 1; }
    # A copy: rebuilding the jar must not change the zip under the running JVMs. Last on the
    # classpath, so Flink's own jars win where the shaded jar repeats them.
    mkdir -p "$dir/lib"
    cp "$job_jar" "$dir/lib/c360-job.jar"
    cp="$cp:$dir/lib/c360-job.jar"
  else
    rm -f "$dir/lib/c360-job.jar"
  fi
  write_config
  # Heap as jobmanager.memory.heap.size above. A 4 MB thread stack: the JobManager deserializes a
  # submitted JobGraph recursively (JobVertex -> IntermediateDataSet -> JobEdge -> JobVertex), and
  # the eight-entity load job overflowed the default 1 MB (StackOverflowError in the REST handler).
  start_jvm jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
    -Xms1024m -Xmx1024m -Xss4m -XX:MaxMetaspaceSize=256m
  # Heap = framework + task heap; direct = framework + task off-heap + network (as Flink computes).
  # Each TaskManager has its own resource id (its name in the REST API and the logs) and its own
  # temporary directories; the config file is shared, the differences are dynamic properties.
  local i name
  for i in $(seq 1 "$taskmanagers"); do
    name="taskmanager-$i"
    mkdir -p "$dir/tmp/$name"
    start_jvm "$name" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
      -Xms1152m -Xmx1152m -XX:MaxDirectMemorySize=640m -XX:MaxMetaspaceSize=256m \
      -- -D "taskmanager.resource-id=$name" -D "io.tmp.dirs=$dir/tmp/$name"
  done
  local deadline=$((SECONDS + timeout_s))
  until ready; do
    for p in $(jvm_names); do
      if ! pid_alive "$dir/$p.pid"; then
        echo "the $p exited; last lines of $log/$p.log:" >&2
        tail -n 30 "$log/$p.log" >&2
        stop >/dev/null
        exit 1
      fi
    done
    if ((SECONDS > deadline)); then
      echo "cluster not ready after ${timeout_s}s; logs in $log" >&2
      stop >/dev/null
      exit 1
    fi
    sleep 1
  done
  echo "Flink session cluster ready with $taskmanagers TaskManager(s) of $slots slot(s):" \
    "--flinkMaster=localhost:$port (web UI http://127.0.0.1:$port, logs $log)"
}

# Stops the TaskManagers (all at once), then the JobManager: SIGTERM, then SIGKILL after 15 s.
stop_pids() {
  local p pid left=()
  for p in "$@"; do
    if pid_alive "$dir/$p.pid"; then
      pid="$(cat "$dir/$p.pid")"
      kill "$pid" 2>/dev/null || true
      left+=("$p:$pid")
    fi
    rm -f "$dir/$p.pid"
  done
  local e
  for e in "${left[@]}"; do
    pid="${e#*:}"
    for _ in $(seq 1 30); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    echo "stopped ${e%%:*} ($pid)"
  done
}

stop() {
  local tms=()
  mapfile -t tms < <(jvm_names | grep -v '^jobmanager$')
  stop_pids "${tms[@]}"
  stop_pids jobmanager
}

status() {
  local p o rc=0 running=0
  compgen -G "$dir/taskmanager*.pid" >/dev/null || { echo "no TaskManager pid files in $dir"; rc=1; }
  for p in $(jvm_names); do
    if pid_alive "$dir/$p.pid"; then
      echo "$p running (pid $(cat "$dir/$p.pid"))"
      [[ "$p" == taskmanager* ]] && running=$((running + 1))
    else
      echo "$p not running"
      rc=1
    fi
  done
  if o="$(http_get /overview)"; then
    echo "REST http://127.0.0.1:$port/overview: $o"
    if [[ "$o" =~ \"taskmanagers\":([0-9]+) ]] && ((BASH_REMATCH[1] < running)); then
      echo "only ${BASH_REMATCH[1]} of $running TaskManager(s) registered"
      rc=1
    fi
  else
    echo "REST http://127.0.0.1:$port not answering"
    rc=1
  fi
  return $rc
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
