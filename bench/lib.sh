# Shared by the bench/*.sh scripts (sourced, not run). Builds the service jar and the load generators when the
# sources changed, starts service processes against the real PostgreSQL and Redis with a fresh Redis prefix and
# workspace, and on exit stops everything it started and removes the bench's Redis keys and PostgreSQL rows
# (BENCH_KEEP=1 keeps the data). Overridable: ORCH_PG_URL, ORCH_REDIS_URL, BENCH_JAVA_OPTS (service JVM flags),
# BENCH_JAR (service jar to run instead of target/orchestrator.jar, e.g. for an A/B run),
# BENCH_SKIP_BUILD=1. ORCH_PARTITIONS, when exported, reaches the services (default 16); the bench reads the count
# back from the service's meta hash in Redis (BenchKeys), and a BENCH_JAR from before partitions (no meta hash) is
# read in its single-tag layout.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PG_URL=${ORCH_PG_URL:-postgresql://postgres@127.0.0.1:5432/test}
REDIS_URL=${ORCH_REDIS_URL:-redis://127.0.0.1:6379}
PREFIX=bench$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
WS=bench-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
SECRET=bench-secret-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
WORK=$(mktemp -d /tmp/orch-bench.XXXXXX)
SERVICE_PIDS=()
SERVICE_PORTS=()
BG_PIDS=()

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# redis-cli against REDIS_URL
rcli() { redis-cli -u "$REDIS_URL" "$@"; }

build() {
  if [[ "${BENCH_SKIP_BUILD:-0}" == 1 && -f target/orchestrator.jar && -f target/bench.cp ]]; then
    return
  fi
  local stale=0
  if [[ ! -f target/orchestrator.jar || ! -f target/bench.cp || ! -d target/test-classes/io/orchestrator/bench ]]; then
    stale=1
  elif [[ -n $(find src redis pom.xml openapi.yaml -newer target/orchestrator.jar -type f -print -quit) ]]; then
    stale=1
  fi
  if [[ $stale == 1 ]]; then
    log "building (mvn -q -DskipTests package dependency:build-classpath) ..."
    # one online invocation (no -o: a fresh machine's local repository holds neither the dependencies nor the
    # maven-dependency-plugin, pinned in pom.xml); Maven prints its errors on stdout, so they are shown on failure
    # instead of the script stopping silently under set -e
    rm -f target/bench.cp
    local out
    if ! out=$(mvn -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/bench.cp \
        -Dmdep.includeScope=test 2>&1); then
      echo "$out" >&2
      log "build failed"
      return 1
    fi
    [[ -s target/bench.cp ]] || { echo "$out" >&2; log "build wrote no target/bench.cp"; return 1; }
  fi
}

bench_cp() { echo "target/test-classes:target/classes:$(cat target/bench.cp)"; }

# Runs a load generator main: bench_java <SimpleClassName> args...
bench_java() {
  local cls=$1; shift
  java ${BENCH_CLIENT_JAVA_OPTS:--Xms512m -Xmx2g} -cp "$(bench_cp)" "io.orchestrator.bench.$cls" "$@"
}

# start_service <name> [VAR=value ...]: starts one instance on a free port, waits until it listens. Roles default to
# api,worker: the scheduler role would fire every scheduled orchestration found in the (shared) PostgreSQL into this
# bench's Redis prefix, which is load the benchmarks do not mean to measure.
start_service() {
  local name=$1; shift
  local logf="$WORK/$name.log"
  local jar dir="$WORK/data-$name"
  jar=$(realpath "${BENCH_JAR:-target/orchestrator.jar}")
  mkdir -p "$dir"
  # started in its data directory, not the repo root: Vert.x's file resolver reads openapi.yaml (and db/migration)
  # from the working directory before the jar, so a BENCH_JAR of another commit would otherwise get this tree's files
  (cd "$dir" && exec env ORCH_PG_URL="$PG_URL" ORCH_REDIS_URL="$REDIS_URL" ORCH_JWT_SECRET="$SECRET" \
    ORCH_REDIS_PREFIX="$PREFIX" ORCH_HTTP_HOST=127.0.0.1 ORCH_HTTP_PORT=0 ORCH_DATA_DIR="$dir" ORCH_LOG_LEVEL=WARN \
    ORCH_ROLES=api,worker "$@" \
    java ${BENCH_JAVA_OPTS:-} -jar "$jar") >"$logf" 2>&1 &
  local pid=$!
  SERVICE_PIDS+=("$pid")
  local port=""
  for _ in $(seq 1 240); do
    port=$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$logf" 2>/dev/null | grep -o '[0-9]*$' || true)
    [[ -n "$port" && "$port" != "-1" ]] && break
    if ! kill -0 "$pid" 2>/dev/null; then
      log "service $name exited during start-up:"; tail -30 "$logf" >&2; return 1
    fi
    sleep 0.5
  done
  [[ -n "$port" ]] || { log "service $name did not start"; tail -30 "$logf" >&2; return 1; }
  SERVICE_PORTS+=("$port")
  log "service $name: pid $pid, port ${port}, log $logf"
}

ports_csv() { local IFS=,; echo "${SERVICE_PORTS[*]}"; }

token() {
  ORCH_JWT_SECRET="$SECRET" java -jar target/orchestrator.jar token --sub bench --workspace "$WS" --ttl 86400
}

# queue_keys <suffix>: the key <suffix> (ready, timers, idx:<ws>:<orchestration>, …) in every partition of this
# bench's service, one a line (one key for a jar of the single-tag layout). Call it once a service has started.
queue_keys() { bench_java BenchKeys --redisUrl="$REDIS_URL" --prefix="$PREFIX" --suffix="$1"; }

# zcard_sum <key>...: the sum of the keys' ZCARDs, in one redis-cli pipeline.
zcard_sum() { local k; for k in "$@"; do echo "ZCARD $k"; done | rcli | awk '{s += $1} END {print s + 0}'; }

machine() {
  echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/{print $2}') GiB RAM; $(date -u '+%Y-%m-%d %H:%M UTC'); load average $(cut -d' ' -f1-3 /proc/loadavg); Redis $(rcli info server | grep redis_version | cut -d: -f2 | tr -d '\r'); $(psql "$PG_URL" -Atc 'show server_version' 2>/dev/null | sed 's/^/PostgreSQL /')"
}

stop_services() {
  local pid
  for pid in "${SERVICE_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${SERVICE_PIDS[@]}"; do
    for _ in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  SERVICE_PIDS=()
  SERVICE_PORTS=()
}

cleanup() {
  local rc=$?
  local pid
  for pid in "${BG_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  stop_services
  if declare -F bench_cleanup >/dev/null; then bench_cleanup || true; fi
  if [[ "${BENCH_KEEP:-0}" != 1 ]]; then
    # every partition's tag starts with the prefix ({<prefix>:p<n>}, DESIGN.md §11), as do the meta hash and the
    # pre-partition layout's {<prefix>}; a cluster's keys are found on each master (CLEAN_REDIS_URLS)
    local url
    for url in "${CLEAN_REDIS_URLS[@]:-$REDIS_URL}"; do
      # one UNLINK per key: a cluster refuses a multi-key UNLINK across slots (CROSSSLOT)
      redis-cli -u "$url" --scan --pattern "{$PREFIX*" | sed 's/^/UNLINK /' | redis-cli -u "$url" >/dev/null || true
    done
    psql -q "$PG_URL" >/dev/null 2>&1 <<SQL || true
DELETE FROM runs WHERE workspace = '$WS';
DELETE FROM bulk_operations WHERE workspace = '$WS';
DELETE FROM orchestration_versions WHERE orchestration_id IN (SELECT id FROM orchestrations WHERE workspace = '$WS');
DELETE FROM orchestrations WHERE workspace = '$WS';
DELETE FROM functions WHERE workspace = '$WS';
SQL
    # autovacuum may be off on a shared test server: reclaim the archived runs this bench just deleted
    psql -q "$PG_URL" -c 'VACUUM runs' >/dev/null 2>&1 || true
    rm -rf "$WORK"
  else
    log "kept: Redis prefix {$PREFIX…}, workspace $WS, logs in $WORK"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# CPU seconds (user+system) used so far by a process and its threads.
cpu_s() { awk -v t="$(getconf CLK_TCK)" '{printf "%.1f", ($14+$15)/t}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# thread_cpu <pid>: "eventloop=… worker=… jit=… gc=… other=…" CPU seconds so far, by thread kind.
thread_cpu() {
  local t
  for t in /proc/$1/task/*; do
    echo "$(tr ' ' '_' <"$t/comm" 2>/dev/null) $(awk '{print $14+$15}' "$t/stat" 2>/dev/null)"
  done | awk -v hz="$(getconf CLK_TCK)" '
    $1 ~ /^vert.x-eventloo/ {e += $2; next}
    $1 ~ /^vert.x-worker/ {w += $2; next}
    $1 ~ /^C[12]_Compiler/ {j += $2; next}
    $1 ~ /^(GC_|G1_)/ {g += $2; next}
    {o += $2}
    END {printf "eventloop=%.1f worker=%.1f jit=%.1f gc=%.1f other=%.1f", e/hz, w/hz, j/hz, g/hz, o/hz}'
}

# cpu_snapshot: lines "group pid ticks" for the services started here, redis-server and postgres processes.
cpu_snapshot() {
  local i=1 pid
  for pid in "${SERVICE_PIDS[@]}"; do
    awk -v g="service$i" -v p="$pid" '{print g, p, $14+$15}' "/proc/$pid/stat" 2>/dev/null || true
    i=$((i + 1))
  done
  for pid in $(pgrep -x redis-server) $(pgrep -x postgres); do
    awk -v p="$pid" '{c = $2; gsub(/[()]/, "", c); print (c == "postgres" ? "postgres" : "redis"), p, $14+$15}' \
      "/proc/$pid/stat" 2>/dev/null || true
  done
}
# cpu_report <before> <after> <wall seconds> [extra text]: CPU seconds per group; a process started meanwhile counts
# whole, one that exited meanwhile is lost (PostgreSQL backends of other sessions come and go).
cpu_report() {
  echo "CPU seconds during the load (wall $3 s): $(awk -v hz="$(getconf CLK_TCK)" '
    NR == FNR {b[$2] = $3; next}
    {d[$1] += $3 - ($2 in b ? b[$2] : 0); if (!($1 in seen)) {seen[$1] = 1; order[++n] = $1}}
    END {for (i = 1; i <= n; i++) printf "%s=%.1f ", order[i], d[order[i]] / hz}' <(echo "$1") <(echo "$2"))${4:-}"
}

# run_client <SimpleClassName> args...: runs a load generator in the foreground, then reports its CPU seconds in
# CLIENT_CPU and the CPU used by the services, Redis and PostgreSQL while it ran.
run_client() {
  local before after t0 t1 cpid rc=0
  before=$(cpu_snapshot); t0=$(date +%s.%N)
  local cls=$1; shift
  java ${BENCH_CLIENT_JAVA_OPTS:--Xms512m -Xmx2g} -cp "$(bench_cp)" "io.orchestrator.bench.$cls" "$@" &
  cpid=$!; BG_PIDS+=("$cpid")
  local last=0
  local now
  # the last sample taken while it still runs (a process that just exited reads as 0)
  while kill -0 "$cpid" 2>/dev/null; do now=$(cpu_s "$cpid"); [[ $now == 0 ]] || last=$now; sleep 0.5; done
  wait "$cpid" || rc=$?
  after=$(cpu_snapshot); t1=$(date +%s.%N)
  cpu_report "$before" "$after" "$(awk -v a="$t1" -v b="$t0" 'BEGIN{printf "%.1f", a-b}')" "load-generator=$last"
  return $rc
}

# "service1:PID,…,redis:@redis-server,postgres:@postgres" for the load generators' --cpuPids (CPU per run figures).
cpu_pids_arg() {
  local out="" i=1 pid
  for pid in "${SERVICE_PIDS[@]}"; do out+="service$i:$pid,"; i=$((i + 1)); done
  out+="redis:@redis-server,postgres:@postgres"
  echo "$out"
}
