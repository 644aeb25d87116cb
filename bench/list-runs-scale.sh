#!/usr/bin/env bash
# List Runs latency with RUNS (1,000,000) runs of one orchestration in Redis, on ORCH_PARTITIONS=16 and on 1
# (src/test/java/io/orchestrator/bench/ListRunsBench.java).
#   bench/list-runs-scale.sh [partition counts, default "16 1"]
# Starts its own redis-server (no persistence) on a free loopback port: a million runs take ~1 GiB, which does not
# belong on the shared test Redis. For each partition count: a fresh prefix, one ORCH_ROLES=api instance (no
# worker: the runs stay pending), one orchestration created through the API, RUNS pending runs written with the
# service's own RedisRunStore.create (the createRun script), then List Runs measured through the API; then the
# prefix's keys are deleted (the server is stopped at the end). Env: RUNS, REQUESTS (300), STEP_MS (10).
source "$(dirname "$0")/lib.sh"
COUNTS=${*:-16 1}
RUNS=${RUNS:-1000000}
REDIS_PID=""
bench_cleanup() { [[ -z "$REDIS_PID" ]] || kill -TERM "$REDIS_PID" 2>/dev/null || true; }

build
free_mib=$(free -m | awk '/Mem:/{print $7}')
echo "bench/list-runs-scale.sh partitions: $COUNTS, runs: $RUNS; available memory $free_mib MiB"
(( free_mib > RUNS / 1000 * 3 )) || { log "needs about $((RUNS / 1000 * 3)) MiB free (run hashes ~1.1 KiB each, plus headroom)"; exit 1; }
while :; do
  port=$((21000 + RANDOM % 8000))
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
done
mkdir -p "$WORK/redis"
redis-server --port "$port" --bind 127.0.0.1 --dir "$WORK/redis" --save "" --appendonly no \
  --logfile "$WORK/redis/log" &
REDIS_PID=$!
for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
REDIS_URL=redis://127.0.0.1:$port
CLEAN_REDIS_URLS=("$REDIS_URL")
machine
TOKEN=$(token)
for partitions in $COUNTS; do
  PREFIX=bench$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
  echo "--- $partitions partition(s), prefix $PREFIX, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  start_service "p$partitions" ORCH_ROLES=api ORCH_PARTITIONS="$partitions" ORCH_EVENT_STREAM="{$PREFIX}:events"
  orch=$(bench_java BenchSetup --port="$(ports_csv)" --token="$TOKEN" --workspace="$WS" --slug="list-$partitions" \
    | sed -n 's/^ORCH_ID=//p')
  common=(--redisUrl="$REDIS_URL" --workspace="$WS" --orchestration="$orch" --runs="$RUNS" --stepMs="${STEP_MS:-10}")
  bench_java ListRunsBench --mode=seed "${common[@]}" --prefix="$PREFIX" --partitions="$partitions" \
    --eventStream="{$PREFIX}:events"
  echo "keys: $(rcli dbsize); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  bench_java ListRunsBench --mode=measure "${common[@]}" --ports="$(ports_csv)" --token="$TOKEN" \
    --requests="${REQUESTS:-300}"
  stop_services
  log "deleting the prefix's keys ..."
  rcli --scan --pattern "{$PREFIX*" | sed 's/^/UNLINK /' | rcli >/dev/null
  echo "after deleting: $(rcli dbsize) keys, used_memory $(rcli info memory | sed -n 's/^used_memory_human://p' | tr -d '\r')"
done
