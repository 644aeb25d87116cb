#!/usr/bin/env bash
# End-to-end throughput and latency of a 3-step orchestration (compute -> decision -> compute) on a no-op function.
#   bench/e2e.sh [instances=1|2] [E2eBench options, e.g. --runs=40000 --window=1200 --concurrency=128]
# Starts <instances> service processes (all roles) on one fresh Redis prefix, triggers round-robin over them.
source "$(dirname "$0")/lib.sh"
INSTANCES=${1:-1}
shift || true
build
echo "bench/e2e.sh instances=$INSTANCES $*"
machine
for i in $(seq 1 "$INSTANCES"); do start_service "svc$i"; done
TOKEN=$(token)
run_client E2eBench --ports="$(ports_csv)" --token="$TOKEN" --workspace="$WS" --cpuPids="$(cpu_pids_arg)" "$@"
for pid in "${SERVICE_PIDS[@]}"; do echo "service pid $pid RSS after the run: $(( $(ps -o rss= -p "$pid") / 1024 )) MiB"; done
