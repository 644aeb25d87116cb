#!/usr/bin/env bash
# Wake-up lateness of delay steps (see DelayBench for the method).
#   bench/delay-lateness.sh [steady|burst|all] [DelayBench options, e.g. --rate=500 --seconds=20 --runs=100000]
#   steady: delay(2000 ms) -> compute(no-op), 500 runs/s for 20 s; lateness = compute call arrival - due time.
#   burst:  100,000 one-step delay runs triggered as fast as they are claimed (within 120 s), all due within
#           one 1 s window (T0 = first trigger + 123 s); lateness =
#           completedAt - due time.
# One service instance (all roles); the due time of every wake-up is read from its run hash in Redis (dueAt).
source "$(dirname "$0")/lib.sh"
MODE=${1:-all}
shift || true
build
echo "bench/delay-lateness.sh $MODE $*"
machine
start_service svc1
TOKEN=$(token)
common=(--ports="$(ports_csv)" --token="$TOKEN" --workspace="$WS" --redisUrl="$REDIS_URL" --redisPrefix="$PREFIX")
if [[ $MODE == steady || $MODE == all ]]; then
  echo "--- steady"
  run_client DelayBench --mode=steady "${common[@]}" "$@"
fi
if [[ $MODE == burst || $MODE == all ]]; then
  echo "--- burst"
  run_client DelayBench --mode=burst "${common[@]}" "$@"
fi
