#!/usr/bin/env bash
# Redis bytes per waiting run and the service's RSS at rest and under load.
#   bench/memory.sh            (env: RUNS=50000 CONCURRENCY=64)
# One service instance (all roles, default JVM flags as in the README unless BENCH_JAVA_OPTS is set). Parks RUNS runs
# in a one-hour delay (one-step delay orchestration) and measures:
#   - Redis INFO used_memory before and after, divided by RUNS (median of 5 samples each; the Redis server is shared
#     with anything else using it, so this figure carries their noise);
#   - the exact footprint of this bench's run keys: MEMORY USAGE <key> SAMPLES 0 summed over the run hashes, the
#     timer/ready/lease queues, the run indexes and the correlation-id indexes of the fresh prefix, divided by RUNS
#     (isolated from other users of the server; excludes allocator fragmentation); input {"orderId":42,"amount":99.5};
#   - RSS (ps -o rss) of the service: at rest after start-up, peak and mean while triggering and parking the runs
#     (sampled every 0.5 s), and at rest 15 s after the load.
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-50000}
CONCURRENCY=${CONCURRENCY:-64}
build
echo "bench/memory.sh (RUNS=$RUNS CONCURRENCY=$CONCURRENCY)"
machine
echo "service JVM: java ${BENCH_JAVA_OPTS:-(no flags)} -jar orchestrator.jar; default max heap $(java ${BENCH_JAVA_OPTS:-} -XX:+PrintFlagsFinal -version 2>/dev/null | awk '$2 == "MaxHeapSize" {printf "%d MiB", $4 / 1048576}')"
start_service svc1
PID=${SERVICE_PIDS[0]}
PORT=${SERVICE_PORTS[0]}
TOKEN=$(token)
ORCH=$(bench_java BenchSetup --port="$PORT" --token="$TOKEN" --workspace="$WS" --delayMs=3600000 | grep -o 'ORCH_ID=.*' | cut -d= -f2)
rss_mib() { echo $(( $(ps -o rss= -p "$PID") / 1024 )); }
sleep 10
echo "RSS at rest after start-up (+10 s, one orchestration created): $(rss_mib) MiB"

used_memory() {  # median of 5 samples
  for _ in 1 2 3 4 5; do rcli info memory | awk -F: '/^used_memory:/ {print $2 + 0}'; sleep 0.2; done | sort -n | sed -n 3p
}
prefix_bytes() {  # exact bytes of the run keys of this bench's prefix: run hashes, timer/ready/lease queues, run indexes,
  # correlation-id indexes (one zset per correlation id; every run has one, generated when the trigger gives none)
  rcli --scan --pattern "{$PREFIX*" | { grep -E ":(run:|idx:|corr:|timers$|ready$|leases$)" || true; } \
    | awk '{print "MEMORY USAGE " $0 " SAMPLES 0"}' | rcli | awk '{s += $1} END {print s + 0}'
}
mapfile -t TIMER_KEYS < <(queue_keys timers)  # one timer queue per partition
mem_before=$(used_memory)
prefix_before=$(prefix_bytes)

( while kill -0 "$PID" 2>/dev/null; do ps -o rss= -p "$PID"; sleep 0.5; done ) >"$WORK/rss.txt" &
SAMPLER=$!; BG_PIDS+=("$SAMPLER")
run_client TriggerLoad --ports="$PORT" --token="$TOKEN" --workspace="$WS" --orchestration="$ORCH" \
  --count="$RUNS" --concurrency="$CONCURRENCY"
for _ in $(seq 1 360); do
  [[ $(zcard_sum "${TIMER_KEYS[@]}") -ge $RUNS ]] && break
  sleep 0.5
done
kill "$SAMPLER" 2>/dev/null || true
waiting=$(zcard_sum "${TIMER_KEYS[@]}")
echo "runs waiting in the timer queue: $waiting"
awk '{s += $1; if ($1 > m) m = $1} END {printf "RSS under load (triggering + parking, %d samples): peak %d MiB, mean %d MiB\n", NR, m / 1024, s / NR / 1024}' "$WORK/rss.txt"
sleep 2
mem_after=$(used_memory)
prefix_after=$(prefix_bytes)
echo "Redis used_memory: before $mem_before, after $mem_after bytes -> $(( (mem_after - mem_before) / waiting )) bytes per waiting run"
echo "this prefix's run keys (MEMORY USAGE): before $prefix_before, after $prefix_after bytes -> $(( (prefix_after - prefix_before) / waiting )) bytes per waiting run"
kind_bytes() {  # bytes of this prefix's keys matching a regex
  rcli --scan --pattern "{$PREFIX*" | { grep -E "$1" || true; } \
    | awk '{print "MEMORY USAGE " $0 " SAMPLES 0"}' | rcli | awk '{s += $1} END {print s + 0}'
}
echo "of which per waiting run: run hashes $(( $(kind_bytes ':run:') / waiting )) B, correlation-id zsets $(( $(kind_bytes ':corr:') / waiting )) B, queues and run indexes $(( $(kind_bytes ':(idx:|timers$|ready$|leases$)') / waiting )) B"
echo "breakdown (MEMORY USAGE of one run hash, and of the shared zsets):"
one=$(rcli --scan --pattern "{$PREFIX*}:run:*" | head -1 || true)
echo "  run hash $one: $(rcli memory usage "$one" SAMPLES 0) bytes, $(rcli hlen "$one") fields, encoding $(rcli object encoding "$one")"
for key in $(rcli --scan --pattern "{$PREFIX*" | grep -v -e ":run:" -e ":corr:" | sort); do
  echo "  $key: $(rcli type "$key") $(rcli memory usage "$key" SAMPLES 0) bytes"
done
corr=$(rcli --scan --pattern "{$PREFIX*}:corr:*" | head -1 || true)
if [[ -n "$corr" ]]; then
  echo "  correlation-id index zsets: $(rcli --scan --pattern "{$PREFIX*}:corr:*" | wc -l) keys; one, $corr: $(rcli memory usage "$corr" SAMPLES 0) bytes, $(rcli zcard "$corr") member(s), encoding $(rcli object encoding "$corr")"
fi
echo "  run hash field sizes (name: value bytes) of $one:"
rcli hgetall "$one" | paste - - | awk -F'\t' '{printf "    %s: %d\n", $1, length($2)}'
echo "RESULT memory runs=$waiting redis_bytes_per_run_used_memory=$(( (mem_after - mem_before) / waiting )) redis_bytes_per_run_keys=$(( (prefix_after - prefix_before) / waiting ))"
sleep 15
echo "RSS at rest 15 s after the load ($waiting runs parked): $(rss_mib) MiB"
