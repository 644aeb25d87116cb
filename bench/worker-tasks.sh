#!/usr/bin/env bash
# Worker-task throughput and poll-to-task latency (src/test/java/io/orchestrator/bench/WorkerTaskBench.java).
#   bench/worker-tasks.sh [WorkerTaskBench options: --workers=4 --max=50 --wait-ms=1000 --warmup=2000 --rate=100
#                          --seconds=10 --backlog=5000 --concurrency=64 --inproc]
# Starts one service process (all roles, ORCH_* overridable from the environment) on a fresh Redis prefix and
# workspace against the real PostgreSQL and Redis, then the driver, which starts the worker processes itself
# (--inproc: pollers on separate Vert.x instances inside the driver JVM instead). Everything it created is removed
# on exit (BENCH_KEEP=1 keeps it). Env: ORCH_PG_URL, ORCH_REDIS_URL, BENCH_JAVA_OPTS (service JVM flags),
# BENCH_SKIP_BUILD=1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PG_URL=${ORCH_PG_URL:-postgresql://postgres@127.0.0.1:5432/test}
REDIS_URL=${ORCH_REDIS_URL:-redis://127.0.0.1:6379}
PREFIX=bench$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
WS=bench-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
SECRET=bench-secret-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
WORK=$(mktemp -d /tmp/orch-worker-bench.XXXXXX)
SERVICE_PID=""

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

cleanup() {
  local rc=$?
  if [[ -n "$SERVICE_PID" ]]; then
    kill -TERM "$SERVICE_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$SERVICE_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$SERVICE_PID" 2>/dev/null || true
  fi
  if [[ "${BENCH_KEEP:-0}" != 1 ]]; then
    redis-cli -u "$REDIS_URL" --scan --pattern "{$PREFIX*" | xargs -r -n 500 redis-cli -u "$REDIS_URL" unlink \
      >/dev/null || true
    psql -q "$PG_URL" >/dev/null 2>&1 <<SQL || true
DELETE FROM runs WHERE workspace = '$WS';
DELETE FROM orchestration_versions WHERE orchestration_id IN (SELECT id FROM orchestrations WHERE workspace = '$WS');
DELETE FROM orchestrations WHERE workspace = '$WS';
DELETE FROM functions WHERE workspace = '$WS';
SQL
    rm -rf "$WORK"
  else
    log "kept: Redis prefix {$PREFIX…}, workspace $WS, service log in $WORK"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 || ! -f target/orchestrator.jar || ! -f target/bench.cp ]]; then
  log "building (mvn -q -DskipTests package dependency:build-classpath) ..."
  # online, like bench/lib.sh: a fresh machine's local repository has nothing to build offline from
  mvn -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
fi

echo "bench/worker-tasks.sh $*"
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/{print $2}') GiB RAM; $(date -u '+%Y-%m-%d %H:%M UTC'); load average $(cut -d' ' -f1-3 /proc/loadavg)"

env ORCH_PG_URL="$PG_URL" ORCH_REDIS_URL="$REDIS_URL" ORCH_JWT_SECRET="$SECRET" ORCH_REDIS_PREFIX="$PREFIX" \
  ORCH_HTTP_HOST=127.0.0.1 ORCH_HTTP_PORT=0 ORCH_DATA_DIR="$WORK/data" ORCH_LOG_LEVEL=WARN \
  java ${BENCH_JAVA_OPTS:-} -jar target/orchestrator.jar >"$WORK/service.log" 2>&1 &
SERVICE_PID=$!
PORT=""
for _ in $(seq 1 240); do
  PORT=$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$WORK/service.log" 2>/dev/null | grep -o '[0-9]*$' || true)
  [[ -n "$PORT" ]] && break
  kill -0 "$SERVICE_PID" 2>/dev/null || { log "service exited:"; tail -30 "$WORK/service.log" >&2; exit 1; }
  sleep 0.5
done
[[ -n "$PORT" ]] || { log "service did not start"; tail -30 "$WORK/service.log" >&2; exit 1; }
log "service pid $SERVICE_PID on port $PORT ($(head -1 "$WORK/service.log"))"
TOKEN=$(ORCH_JWT_SECRET="$SECRET" java -jar target/orchestrator.jar token --sub bench --workspace "$WS" --ttl 86400)

java ${BENCH_CLIENT_JAVA_OPTS:--Xms256m -Xmx1g} -cp "target/test-classes:target/classes:$(cat target/bench.cp)" \
  io.orchestrator.bench.WorkerTaskBench --port="$PORT" --workspace="$WS" --token="$TOKEN" --redis="$REDIS_URL" \
  --prefix="$PREFIX" "$@"
echo "service RSS after the run: $(( $(ps -o rss= -p "$SERVICE_PID") / 1024 )) MiB"
