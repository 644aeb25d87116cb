#!/usr/bin/env bash
# Live-progress fan-out (see SseFanoutBench for the method): 1,000 open run streams (Server-Sent Events) on one
# instance while other runs execute at 500 runs/s; latency from a run's state change to its event received, and the
# service's memory per open stream (VmRSS and heap used, each after a full GC via jcmd).
#   bench/sse-fanout.sh [SseFanoutBench options, e.g. --streams=1000 --rate=500 --delayMs=45000 --spreadSeconds=10]
# One service instance (api,worker); the watched runs are delay -> compute(no-op), the background runs
# compute -> decision -> compute on the bench's no-op function.
source "$(dirname "$0")/lib.sh"
build
echo "bench/sse-fanout.sh $*"
machine
start_service svc1
TOKEN=$(token)
run_client SseFanoutBench --ports="$(ports_csv)" --token="$TOKEN" --workspace="$WS" \
  --servicePid="${SERVICE_PIDS[0]}" --cpuPids="$(cpu_pids_arg)" "$@"
echo "service pid ${SERVICE_PIDS[0]} RSS after the run: $(( $(ps -o rss= -p "${SERVICE_PIDS[0]}") / 1024 )) MiB"
grep -hE '^[0-9:.]+ +(WARN|ERROR) ' "$WORK"/svc1.log | sed -E 's/^[0-9:.]+ +//' | sort | uniq -c | sort -rn | head -10 || true
echo "load average at the end: $(cut -d" " -f1-3 /proc/loadavg)"
