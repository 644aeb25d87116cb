#!/usr/bin/env bash
# The console's runs page with many runs in one orchestration (issue 13: first page in under 1 s with 100,000):
# one api-only instance (runs stay pending in Redis, as a busy orchestration's would), RUNS triggered through the
# API, then headless Chromium loads the runs page ROUNDS times per filter (none, status=pending, status=failed).
#   bench/console-runs.sh            (env: RUNS=100000 ROUNDS=7)
# Needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install -y chromium chromium-driver).
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-100000}
ROUNDS=${ROUNDS:-7}
[[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] || { log "needs chromium and chromium-driver"; exit 1; }
build
echo "bench/console-runs.sh (RUNS=$RUNS ROUNDS=$ROUNDS)"
machine
start_service api ORCH_ROLES=api
PORT=${SERVICE_PORTS[0]}
TOKEN=$(token)
ORCH=$(bench_java BenchSetup --port="$PORT" --token="$TOKEN" --workspace="$WS" --delayMs=3600000 | grep -o 'ORCH_ID=.*' | cut -d= -f2)
log "orchestration $ORCH: triggering $RUNS runs"
t0=$(date +%s)
bench_java TriggerLoad --ports="$PORT" --token="$TOKEN" --workspace="$WS" --orchestration="$ORCH" --count="$RUNS" \
  --concurrency=64 | grep RESULT | sed 's/^RESULT/seeded:/'
log "seeded in $(( $(date +%s) - t0 )) s; Redis index holds $(zcard_sum $(queue_keys "idx:$WS:$ORCH")) runs"
bench_java ConsoleRunsBench --port="$PORT" --token="$TOKEN" --workspace="$WS" --orchestration="$ORCH" \
  --expectTotal="$RUNS" --rounds="$ROUNDS"
