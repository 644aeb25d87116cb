#!/usr/bin/env bash
# Our service against BullMQ (the Redis job queue users would otherwise use), side by side in one run on the same
# machine, the same Redis (ORCH_REDIS_URL) and ONE shared no-op HTTP function server (NoopFunctionServer, its own
# JVM). The chain is compute -> decision -> compute; the method is in docs/performance.md §14.
#   bench/peer-bullmq.sh
# Env (defaults): ROUNDS=3 WARMUP=30000 WARMUP_CHUNK=6000 CHAINS=20000 CONCURRENCY=64 WINDOW=600
#   JIT_SETTLED=100 (E2eBench --jitSettled: 100 = our warm-up is exactly WARMUP chains, like BullMQ's; e.g. 0.05 goes
#   on in chunks until the service's JIT compiler used at most 5 % of a core, as bench/e2e.sh does)
#   STEADY_RATE (default: 50 % of BullMQ's throughput in the same round) STEADY_SECONDS=20 STEADY_IN_FLIGHT=1000
#   STEADY_WARMUP=6000 (chains each side's load generator runs closed-loop before its steady phase: each phase is a
#   fresh generator process, and a cold JVM generator's JIT took the cores the service needed; 0 = none)
#   STEADY_LEAD_SECONDS=5 (seconds of the same open-loop load each side runs right before its measured seconds, not
#   measured: the engines reach the steady state of this load first; our JIT recompiles in its first second)
#   BURST=20000 BURST_SPREAD=30 (s to add them in) BURST_MARGIN_MS=3000
#   BULLMQ_WORKERS=2 (processes, one per core) BULLMQ_CONCURRENCY=64 (per process) FN_INSTANCES=2
#   and lib.sh's (ORCH_PG_URL, ORCH_REDIS_URL, BENCH_JAVA_OPTS, BENCH_JAR, BENCH_SKIP_BUILD, BENCH_KEEP).
# Per round, each workload runs on both sides (ours first in odd rounds, BullMQ first in even ones):
#   throughput: WARMUP chains, then CHAINS chains with at most CONCURRENCY triggers/adds in flight and WINDOW
#               unfinished; completed chains/s, with CPU ms per chain of every process group
#   steady:     STEADY_RATE chains/s open-loop for STEADY_LEAD_SECONDS, then STEADY_SECONDS measured (a chain due while
#               STEADY_IN_FLIGHT triggers/adds are outstanding is skipped and counted); latency p50/p99 of the measured
#               seconds' chains (completedAt - startedAt, finishedOn - timestamp)
#   burst:      BURST delay -> compute chains due evenly within one second; lateness p99 (arrival of the compute call at
#               the function server - due time)
# Each figure is printed per round for both sides with the ratio ours/BullMQ, then the medians over the rounds
# (RESULT peer … lines). Needs node >= 20 and npm (BullMQ and ioredis, pinned in bench/peer/package-lock.json, are
# installed with npm ci), redis-cli and psql.
source "$(dirname "$0")/lib.sh"

ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-30000}
WARMUP_CHUNK=${WARMUP_CHUNK:-6000}
JIT_SETTLED=${JIT_SETTLED:-100}
CHAINS=${CHAINS:-20000}
CONCURRENCY=${CONCURRENCY:-64}
WINDOW=${WINDOW:-600}
STEADY_RATE=${STEADY_RATE:-}
STEADY_SECONDS=${STEADY_SECONDS:-20}
STEADY_IN_FLIGHT=${STEADY_IN_FLIGHT:-1000}
STEADY_WARMUP=${STEADY_WARMUP:-6000}
STEADY_LEAD_SECONDS=${STEADY_LEAD_SECONDS:-5}
BURST=${BURST:-20000}
BURST_SPREAD=${BURST_SPREAD:-30}
BURST_MARGIN_MS=${BURST_MARGIN_MS:-3000}
BULLMQ_WORKERS=${BULLMQ_WORKERS:-2}
BULLMQ_CONCURRENCY=${BULLMQ_CONCURRENCY:-64}
FN_INSTANCES=${FN_INSTANCES:-2}
PEER=$ROOT/bench/peer
BULL_PREFIX=peer$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
BULL_PIDS=()
(( WARMUP_CHUNK <= WARMUP )) || WARMUP_CHUNK=$WARMUP

peer_install() {
  command -v node >/dev/null && command -v npm >/dev/null || { log "needs node (>= 20) and npm"; return 1; }
  if [[ ! -d $PEER/node_modules || $PEER/package-lock.json -nt $PEER/node_modules ]]; then
    log "installing the BullMQ side (npm ci in bench/peer) ..."
    (cd "$PEER" && npm ci --no-audit --no-fund) >&2
    touch "$PEER/node_modules"
  fi
}

# The BullMQ workers go first (they still write keys of the prefix until they stop), then the prefix's keys.
bench_cleanup() {
  local pid
  for pid in "${BULL_PIDS[@]}"; do
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [[ "${BENCH_KEEP:-0}" != 1 ]]; then
    rcli --scan --pattern "$BULL_PREFIX:*" | sed 's/^/UNLINK /' | rcli >/dev/null || true
  else
    log "kept: BullMQ prefix $BULL_PREFIX"
  fi
}

# wait_line <file> <regex> <pid> <what>: waits up to 60 s until the process printed a matching line.
wait_line() {
  for _ in $(seq 1 120); do
    grep -qE "$2" "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { log "$4 exited during start-up:"; tail -20 "$1" >&2; return 1; }
    sleep 0.5
  done
  log "$4 did not start"; tail -20 "$1" >&2; return 1
}

start_function_server() {
  java ${FN_JAVA_OPTS:--Xms256m -Xmx1g} -cp "$(bench_cp)" io.orchestrator.bench.NoopFunctionServer \
    --instances="$FN_INSTANCES" >"$WORK/fn.log" 2>&1 &
  FN_PID=$!
  BG_PIDS+=("$FN_PID")
  wait_line "$WORK/fn.log" 'noop function at' "$FN_PID" "function server"
  FN_URL=$(grep -oE 'http://[0-9.:]+/noop' "$WORK/fn.log")
  log "function server: pid $FN_PID, $FN_URL ($FN_INSTANCES event loops)"
}

start_bullmq_workers() {
  local i pid
  for i in $(seq 1 "$BULLMQ_WORKERS"); do
    env REDIS_URL="$REDIS_URL" BULLMQ_PREFIX="$BULL_PREFIX" FN_URL="$FN_URL" BULLMQ_CONCURRENCY="$BULLMQ_CONCURRENCY" \
      node "$PEER/worker.mjs" >"$WORK/bullmq-worker-$i.log" 2>&1 &
    pid=$!
    BULL_PIDS+=("$pid")
    BG_PIDS+=("$pid")
  done
  i=1
  for pid in "${BULL_PIDS[@]}"; do
    wait_line "$WORK/bullmq-worker-$i.log" 'worker ready' "$pid" "BullMQ worker $i"
    i=$((i + 1))
  done
  log "BullMQ workers: pids ${BULL_PIDS[*]}, concurrency $BULLMQ_CONCURRENCY each, prefix $BULL_PREFIX"
}

# The --cpuPids spec both sides' load generators read: the Redis process is the one serving REDIS_URL (INFO), not
# every redis-server on the host.
cpu_spec() {
  local redis
  redis=$(rcli info server | awk -F: '/^process_id:/ {print $2}' | tr -d '\r')
  [[ -n $redis && $(cat "/proc/$redis/comm" 2>/dev/null) == redis-server ]] || redis=@redis-server
  echo "service:${SERVICE_PIDS[0]},bullmq:$(IFS=+; echo "${BULL_PIDS[*]}"),redis:$redis,fn:$FN_PID,postgres:@postgres"
}

# run_side <ours|bullmq> <workload> <round> <args...>: one side's load generator (Java class or load.mjs), its
# output kept in $WORK/r<round>-<side>-<workload>.log and shown indented as it comes. It runs in the background (in
# BG_PIDS), so an interrupted run stops it too.
run_side() {
  local side=$1 workload=$2 round=$3 pid rc=0
  local logf="$WORK/r$round-$side-$workload.log"
  shift 3
  echo "--- round $round, $workload: $([[ $side == ours ]] && echo 'our service' || echo BullMQ)"
  : >"$logf"
  if [[ $side == ours ]]; then
    local cls=$1
    shift
    java ${BENCH_CLIENT_JAVA_OPTS:--Xms512m -Xmx2g} -cp "$(bench_cp)" "io.orchestrator.bench.$cls" "$@" >"$logf" 2>&1 &
  else
    node "$PEER/load.mjs" --redisUrl="$REDIS_URL" --prefix="$BULL_PREFIX" --functionUrl="$FN_URL" --cpuPids="$CPU" \
      "$@" >"$logf" 2>&1 &
  fi
  pid=$!
  BG_PIDS+=("$pid")
  # shown from the background: bash runs a trap (INT, TERM: cleanup) during the wait builtin, not during a
  # foreground pipeline
  tail -n +1 -f --pid="$pid" "$logf" | sed -u 's/^/    /' &
  local shown=$!
  wait "$pid" || rc=$?
  wait "$shown" || true
  (( rc == 0 )) || { log "the $side $workload load generator failed (exit $rc)"; return "$rc"; }
}

# val <round> <side> <workload> <line regex> <key>: key=… on the last matching line of that log.
val() {
  grep -E "$4" "$WORK/r$1-$2-$3.log" | tail -1 | grep -oE "(^|[ :(])$5=[-0-9.]+" | head -1 | sed 's/.*=//'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "" || b == "" || b + 0 == 0) print "n/a"; else printf "%.2f", a / b}'; }
median() { tr ' ' '\n' <<<"$*" | grep -v '^$' | sort -g | awk '{v[NR] = $1} END {if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

declare -A FIG
# record <figure> <value>: one round's value of a figure, for the medians
record() { FIG[$1]+="${2:-} "; }

# cpu_fig <round> <workload> <figure prefix>: records and prints both sides' CPU ms per chain of the workload
cpu_fig() {
  local r=$1 w=$2 g line="" side
  for side in ours bullmq; do
    line+="$side:"
    for g in service bullmq redis fn postgres; do
      local v
      v=$(val "$r" "$side" "$w" '^CPU ms per' "$g")
      record "$3_cpu_${side}_$g" "$v"
      line+=" $g=${v:-?}"
    done
    line+="; "
  done
  echo "  CPU ms per chain (every process group, both sides' load): ${line%; }"
}

build
peer_install
echo "bench/peer-bullmq.sh ROUNDS=$ROUNDS WARMUP=$WARMUP WARMUP_CHUNK=$WARMUP_CHUNK JIT_SETTLED=$JIT_SETTLED" \
  "CHAINS=$CHAINS CONCURRENCY=$CONCURRENCY" \
  "WINDOW=$WINDOW STEADY_RATE=${STEADY_RATE:-50% of BullMQ} STEADY_SECONDS=$STEADY_SECONDS BURST=$BURST" \
  "STEADY_IN_FLIGHT=$STEADY_IN_FLIGHT STEADY_WARMUP=$STEADY_WARMUP STEADY_LEAD_SECONDS=$STEADY_LEAD_SECONDS BURST_SPREAD=$BURST_SPREAD BURST_MARGIN_MS=$BURST_MARGIN_MS" \
  "BULLMQ_WORKERS=$BULLMQ_WORKERS" \
  "BULLMQ_CONCURRENCY=$BULLMQ_CONCURRENCY FN_INSTANCES=$FN_INSTANCES"
machine
echo "node $(node -v); $(cd "$PEER" && node -p "'bullmq ' + require('bullmq/package.json').version + ', ioredis ' + require('ioredis/package.json').version")"
start_function_server
start_service svc1
start_bullmq_workers
TOKEN=$(token)
CPU=$(cpu_spec)
OURS=(--ports="$(ports_csv)" --token="$TOKEN" --workspace="$WS" --functionUrl="$FN_URL" --cpuPids="$CPU")
echo "CPU groups: $CPU"

# One function per side and workload (argument: the round); `both` runs a workload on both sides.
ours_throughput() {
  run_side ours throughput "$1" E2eBench "${OURS[@]}" --runs="$CHAINS" --warmup="$WARMUP" \
    --warmupChunk="$WARMUP_CHUNK" --jitSettled="$JIT_SETTLED" --concurrency="$CONCURRENCY" --window="$WINDOW"
}
bullmq_throughput() {
  run_side bullmq throughput "$1" --mode=throughput --warmup="$WARMUP" --warmupChunk="$WARMUP_CHUNK" \
    --chains="$CHAINS" --concurrency="$CONCURRENCY" --window="$WINDOW"
}
ours_steady() {
  run_side ours steady "$1" E2eBench "${OURS[@]}" --mode=steady --rate="$rate" --seconds="$STEADY_SECONDS" \
    --concurrency="$STEADY_IN_FLIGHT" --warmup="$STEADY_WARMUP" --warmupChunk="$STEADY_WARMUP" --jitSettled=100 \
    --window="$WINDOW" --leadSeconds="$STEADY_LEAD_SECONDS"
}
bullmq_steady() {
  run_side bullmq steady "$1" --mode=steady --rate="$rate" --seconds="$STEADY_SECONDS" --concurrency="$STEADY_IN_FLIGHT" \
    --warmup="$STEADY_WARMUP" --window="$WINDOW" --leadSeconds="$STEADY_LEAD_SECONDS"
}
ours_burst() {
  run_side ours burst "$1" DelayBench "${OURS[@]}" --mode=burst --redisUrl="$REDIS_URL" --redisPrefix="$PREFIX" \
    --runs="$BURST" --spreadSeconds="$BURST_SPREAD" --marginMs="$BURST_MARGIN_MS" --windowMs=1000 \
    --concurrency="$CONCURRENCY" --warmup=0
}
bullmq_burst() {
  run_side bullmq burst "$1" --mode=burst --chains="$BURST" --spreadSeconds="$BURST_SPREAD" \
    --marginMs="$BURST_MARGIN_MS" --windowMs=1000 --concurrency="$CONCURRENCY"
}
# both <workload> <round>: ours first in odd rounds, BullMQ first in even ones
both() {
  local side order=(ours bullmq)
  (( $2 % 2 == 1 )) || order=(bullmq ours)
  for side in "${order[@]}"; do "${side}_$1" "$2"; done
}

# figure <round> <workload> <figure> <our key> <BullMQ key> <label>: one figure from both sides' RESULT lines,
# recorded for the medians and printed with the ratio
figure() {
  local o b
  o=$(val "$1" ours "$2" '^RESULT ' "$4")
  b=$(val "$1" bullmq "$2" '^RESULT ' "$5")
  record "$3_ours" "$o"
  record "$3_bull" "$b"
  echo "ROUND $1 $6: ours=${o:-?} bullmq=${b:-?} ours/bullmq=$(ratio "$o" "$b")"
}

for round in $(seq 1 "$ROUNDS"); do
  echo "=== round $round of $ROUNDS"
  both throughput "$round"
  figure "$round" throughput tp runs_per_s chains_per_s "throughput (completed 3-step chains/s, higher is better)"
  cpu_fig "$round" throughput tp

  tp_bull=$(val "$round" bullmq throughput '^RESULT ' chains_per_s)
  rate=${STEADY_RATE:-$(awk -v t="${tp_bull:-0}" 'BEGIN {r = int(t * 0.5); print (r < 1 ? 1 : r)}')}
  record rate "$rate"
  both steady "$round"
  skipped_o=$(val "$round" ours steady '^RESULT ' skipped)
  skipped_b=$(val "$round" bullmq steady '^RESULT ' skipped)
  [[ ${skipped_o:-0} == 0 && ${skipped_b:-0} == 0 ]] || echo "  WARNING: triggers/adds skipped at the in-flight" \
    "cap of $STEADY_IN_FLIGHT (the rate was not offered in full): ours=$skipped_o bullmq=$skipped_b"
  figure "$round" steady st_p50 p50_ms p50_ms "steady at $rate chains/s, latency p50 ms (lower is better)"
  figure "$round" steady st_p99 p99_ms p99_ms "steady at $rate chains/s, latency p99 ms (lower is better)"
  cpu_fig "$round" steady st

  both burst "$round"
  figure "$round" burst bu p99_ms p99_ms "burst of $BURST delays due within 1 s, lateness p99 ms (lower is better)"
  cpu_fig "$round" burst bu
done

# result <name> <figure key ours> <figure key bullmq> [note]
result() {
  local o b
  o=$(median ${FIG[$2]:-}); b=$(median ${FIG[$3]:-})
  echo "RESULT peer $1 ours=${o:-?} bullmq=${b:-?} ours/bullmq=$(ratio "$o" "$b")${4:+ ($4)}"
}
# cpu_result <name> <figure prefix>: medians of the CPU ms per chain that matter for each side
cpu_result() {
  local m=() k
  for k in ours_service ours_redis ours_fn ours_postgres bullmq_bullmq bullmq_redis bullmq_fn; do
    m+=("$k=$(median ${FIG[$2_cpu_$k]:-})")
  done
  echo "RESULT peer $1_cpu_ms_per_chain ${m[*]}" | sed 's/bullmq_bullmq=/bullmq_workers=/'
}
echo "=== medians of $ROUNDS round(s) ($(cut -d' ' -f1-3 /proc/loadavg) load average at the end)"
echo "rounds: throughput ours ${FIG[tp_ours]:-}| bullmq ${FIG[tp_bull]:-}| steady rates ${FIG[rate]:-}"
result throughput_chains_per_s tp_ours tp_bull "higher is better"
cpu_result throughput tp
echo "RESULT peer steady_rate_chains_per_s $(median ${FIG[rate]})"
result steady_p50_ms st_p50_ours st_p50_bull "lower is better"
result steady_p99_ms st_p99_ours st_p99_bull "lower is better"
cpu_result steady st
result burst_lateness_p99_ms bu_ours bu_bull "$BURST delays due within 1 s, then a compute step; lower is better"
cpu_result burst bu
