#!/usr/bin/env bash
# Redis CPU per unit of work, on one Redis and on a 3-master Redis Cluster (src/test/java/io/orchestrator/bench/
# RedisCostBench.java): per 3-step run, per trigger (ORCH_ROLES=api: creation only), per wake-up, per worker task.
#   bench/redis-cost.sh [figures: run trigger wakeup task]
# One service instance per figure and setup (as the other scripts, via bench/lib.sh), ORCH_PARTITIONS (default 16).
# By default it starts its own servers: one redis-server and a cluster of 3 masters + 3 replicas (the layout of
# .ci/run, `redis-cli --cluster create … --cluster-replicas 1`), on free loopback ports, without persistence (as the
# shared test servers), so that INFO cpu counts this service alone; they are stopped at the end.
# REDIS_COST_SHARED=1 uses the shared servers instead (ORCH_REDIS_URL, default 127.0.0.1:6379, and
# CLUSTER_URL, default the masters 127.0.0.1:7000-7002): their CPU then includes whatever else ran meanwhile.
# Env: CLUSTER_REPLICAS (1 per master), SINGLE_REPLICA=1 (the one Redis gets a replica), CONCURRENCY (64 triggers in flight), SETUPS ("single cluster"), UNITS (20000; task: TASK_UNITS 10000; wakeup: WAKE_UNITS, default UNITS: all must park within 75 s), WARMUP (10000), IDLE_SECONDS (5), ORCH_PARTITIONS (16).
source "$(dirname "$0")/lib.sh"
FIGURES=${*:-run trigger wakeup task}
PARTITIONS=${ORCH_PARTITIONS:-16}
REDIS_PIDS=()

bench_cleanup() {
  local pid
  for pid in "${REDIS_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
}

free_port() {
  local p
  while :; do
    p=$((21000 + RANDOM % 8000))
    ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && ! (exec 3<>"/dev/tcp/127.0.0.1/$((p + 10000))") 2>/dev/null \
      && { echo "$p"; return; }
  done
}

# start_redis <port> [redis-server options…]: a private redis-server in $WORK, no persistence
start_redis() {
  local port=$1; shift
  mkdir -p "$WORK/redis-$port"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$WORK/redis-$port" --save "" --appendonly no \
    --logfile "$WORK/redis-$port/log" "$@" &
  REDIS_PIDS+=("$!")
  for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && return; sleep 0.1; done
  log "redis-server on $port did not start"; return 1
}

build
echo "bench/redis-cost.sh $FIGURES (partitions $PARTITIONS)"
if [[ "${REDIS_COST_SHARED:-0}" == 1 ]]; then
  SINGLE_URL=$REDIS_URL
  CLUSTER_URL=${CLUSTER_URL:-redis://127.0.0.1:7000,redis://127.0.0.1:7001,redis://127.0.0.1:7002}
else
  SINGLE_PORT=$(free_port)
  start_redis "$SINGLE_PORT"
  SINGLE_URL=redis://127.0.0.1:$SINGLE_PORT
  if [[ "${SINGLE_REPLICA:-0}" == 1 ]]; then
    # a replica for the one Redis too, as each cluster master has: the master then also feeds a replication stream
    start_redis "$(free_port)" --replicaof 127.0.0.1 "$SINGLE_PORT"
  fi
  nodes=()
  replicas=${CLUSTER_REPLICAS:-1}
  while [[ ${#nodes[@]} -lt $((3 * (1 + replicas))) ]]; do
    p=$(free_port)
    [[ " ${nodes[*]} " == *" $p "* ]] && continue
    start_redis "$p" --cluster-enabled yes --cluster-config-file "$WORK/redis-$p/nodes.conf"
    nodes+=("$p")
  done
  redis-cli --cluster create $(printf '127.0.0.1:%s ' "${nodes[@]}") --cluster-replicas "$replicas" --cluster-yes >/dev/null
  for _ in $(seq 1 100); do
    redis-cli -p "${nodes[0]}" cluster info | grep -q '^cluster_state:ok' && break; sleep 0.2
  done
  CLUSTER_URL=$(printf 'redis://127.0.0.1:%s,' "${nodes[@]:0:3}"); CLUSTER_URL=${CLUSTER_URL%,}
fi
REDIS_URL=$SINGLE_URL
machine
cluster_seed=${CLUSTER_URL%%,*}
# the masters that hold slots (a fresh cluster shows a replica as master until its role has propagated)
for _ in $(seq 1 100); do
  CLUSTER_MASTERS=$(redis-cli -u "$cluster_seed" cluster nodes \
    | awk '$3 ~ /master/ && $3 !~ /fail/ && NF > 8 {split($2, a, "@"); print a[1]}' | sort -t: -k2 -n | paste -sd,)
  [[ $(tr ',' '\n' <<<"$CLUSTER_MASTERS" | grep -c .) == 3 ]] && break
  sleep 0.2
done
echo "one Redis: ${SINGLE_URL#redis://}$([[ "${SINGLE_REPLICA:-0}" == 1 ]] && echo ' (with a replica)'); cluster masters: $CLUSTER_MASTERS (replicas: ${CLUSTER_REPLICAS:-1} each)"
CLEAN_REDIS_URLS=("$SINGLE_URL")
for m in ${CLUSTER_MASTERS//,/ }; do CLEAN_REDIS_URLS+=("redis://$m"); done

TOKEN=$(token)
for setup in ${SETUPS:-single cluster}; do
  if [[ $setup == single ]]; then
    env_args=(ORCH_REDIS_URL="$SINGLE_URL"); masters=${SINGLE_URL#redis://}; cluster_flag=()
  else
    env_args=(ORCH_REDIS_MODE=cluster ORCH_REDIS_URL="$CLUSTER_URL"); masters=$CLUSTER_MASTERS; cluster_flag=(--cluster)
  fi
  for figure in $FIGURES; do
    # a fresh prefix per figure: a worker would otherwise pick up what the figure before left (e.g. the trigger
    # figure's pending runs)
    PREFIX=bench$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
    roles=api,worker; [[ $figure == trigger ]] && roles=api
    units=${UNITS:-20000}; [[ $figure == task ]] && units=${TASK_UNITS:-10000}
    [[ $figure == wakeup ]] && units=${WAKE_UNITS:-$units}
    echo "--- $setup: $figure (ORCH_ROLES=$roles), load average $(cut -d' ' -f1-3 /proc/loadavg)"
    start_service "$setup-$figure" "${env_args[@]}" ORCH_ROLES=$roles ORCH_PARTITIONS="$PARTITIONS" \
      ORCH_EVENT_STREAM="{$PREFIX}:events"
    bench_java RedisCostBench --ports="$(ports_csv)" --token="$TOKEN" --workspace="$WS" --nodes="$masters" \
      --redisUrl="${env_args[-1]#ORCH_REDIS_URL=}" "${cluster_flag[@]}" --prefix="$PREFIX" --partitions="$PARTITIONS" \
      --eventStream="{$PREFIX}:events" --figure="$figure" --units="$units" --warmup="${WARMUP:-10000}" \
      --idleSeconds="${IDLE_SECONDS:-5}" --label="$setup" --concurrency="${CONCURRENCY:-64}" | tee -a "$WORK/results"
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
    stop_services
    for url in "${CLEAN_REDIS_URLS[@]}"; do
      redis-cli -u "$url" --scan --pattern "{$PREFIX*" | sed 's/^/UNLINK /' | redis-cli -u "$url" >/dev/null
    done
  done
done

echo "--- Redis CPU ms per unit (net of the idle poll loops; cluster: sum over the 3 masters)"
awk '/^RESULT redis-cost/ && /node=sum/ {
    for (i = 3; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    v[f["figure"], f["setup"]] = f["net_ms_per_unit"]; if (!(f["figure"] in seen)) { seen[f["figure"]] = 1; order[++n] = f["figure"] }
  }
  END {
    printf "%-10s %12s %16s %8s\n", "figure", "one Redis", "cluster (sum)", "ratio"
    for (i = 1; i <= n; i++) {
      s = v[order[i], "single"]; c = v[order[i], "cluster"]
      printf "%-10s %12.4f %16.4f %8s\n", order[i], s, c, (s > 0 ? sprintf("%.2f", c / s) : "-")
    }
  }' "$WORK/results"
echo "--- cluster, 3-step runs: each master against its share of the partitions"
awk '/^partitions per master:/ && !got { for (i = 4; i <= NF && $i !~ /^\(/; i++) { split($i, kv, "="); share[kv[1]] = kv[2] }; got = 1 }
  /^RESULT redis-cost setup=cluster figure=run / {
    for (i = 3; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    if (f["node"] == "sum") total = f["net_cpu_ms"]; else { net[f["node"]] = f["net_cpu_ms"]; units = f["units"]; nodes[++n] = f["node"] }
  }
  END {
    if (!total) exit
    parts = 0; for (k in share) parts += share[k]
    printf "%-18s %10s %14s %14s %10s\n", "master", "partitions", "ms per 1,000", "predicted", "deviation"
    for (i = 1; i <= n; i++) {
      m = nodes[i]; pred = total * share[m] / parts
      printf "%-18s %10s %14.1f %14.1f %+9.1f%%\n", m, share[m] "/" parts, net[m] * 1000 / units, pred * 1000 / units, (net[m] / pred - 1) * 100
    }
  }' "$WORK/results"
