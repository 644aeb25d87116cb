#!/usr/bin/env bash
# Manual trigger endpoint alone: accepted runs/s and latency of POST /orchestrations/{id}/trigger on an instance with
# ORCH_ROLES=api (no worker: runs only queue in Redis).
#   bench/trigger-api.sh            (env: DURATION=20 WARMUP=15 WRK_THREADS=2 WRK_CONNS=64)
# Uses wrk + a Lua script (POST, JSON body, Authorization header; counts 201s) when wrk is installed, else the Java
# closed-loop generator TriggerLoad. wrk is closed-loop: its percentiles are per request, not corrected for
# coordinated omission.
source "$(dirname "$0")/lib.sh"
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-15}
WRK_THREADS=${WRK_THREADS:-2}
WRK_CONNS=${WRK_CONNS:-64}
build
echo "bench/trigger-api.sh (DURATION=$DURATION WARMUP=$WARMUP WRK_THREADS=$WRK_THREADS WRK_CONNS=$WRK_CONNS)"
machine
start_service api ORCH_ROLES=api
PORT=${SERVICE_PORTS[0]}
TOKEN=$(token)
ORCH=$(bench_java BenchSetup --port="$PORT" --token="$TOKEN" --workspace="$WS" --delayMs=3600000 | grep -o 'ORCH_ID=.*' | cut -d= -f2)
URL="http://127.0.0.1:$PORT/orchestration/api/v1/workspaces/$WS/orchestrations/$ORCH/trigger"
log "orchestration $ORCH; trigger URL $URL"
mapfile -t READY_KEYS < <(queue_keys ready)  # one ready queue per partition

if command -v wrk >/dev/null; then
  LUA="$WORK/trigger.lua"
  cat >"$LUA" <<LUA
wrk.method = "POST"
wrk.body = '{"input":{"orderId":42,"amount":99.5}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) created = 0; other = 0 end
function response(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local c, o = 0, 0
  for _, t in ipairs(threads) do c = c + t:get("created"); o = o + t:get("other") end
  local s = summary.duration / 1e6
  io.write(string.format("RESULT trigger-api tool=wrk created=%d other=%d errors=%d duration_s=%.1f runs_per_s=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p99.9_ms=%.2f max_ms=%.2f\n",
    c, o, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, s, c / s,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000))
end
LUA
  log "warm-up: wrk ${WARMUP}s"
  wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${WARMUP}s" -s "$LUA" "$URL" | grep RESULT | sed 's/^RESULT/warm-up:/'
  before_ready=$(zcard_sum "${READY_KEYS[@]}")
  before=$(cpu_snapshot); t0=$(date +%s)
  wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${DURATION}s" --latency -s "$LUA" "$URL" | tee "$WORK/wrk.out" | sed -n '/Latency Distribution/,$p'
  after=$(cpu_snapshot)
  cpu_report "$before" "$after" "$(( $(date +%s) - t0 ))" "(wrk not counted)"
  created=$(grep -o 'created=[0-9]*' "$WORK/wrk.out" | cut -d= -f2)
else
  before_ready=$(zcard_sum "${READY_KEYS[@]}")
  run_client TriggerLoad --ports="$PORT" --token="$TOKEN" --workspace="$WS" --orchestration="$ORCH" \
    --seconds="$WARMUP" --concurrency="$WRK_CONNS" | grep RESULT | sed 's/^RESULT/warm-up:/'
  before_ready=$(zcard_sum "${READY_KEYS[@]}")
  run_client TriggerLoad --ports="$PORT" --token="$TOKEN" --workspace="$WS" --orchestration="$ORCH" \
    --seconds="$DURATION" --concurrency="$WRK_CONNS" | tee "$WORK/load.out"
  created=$(grep -o 'accepted=[0-9]*' "$WORK/load.out" | cut -d= -f2)
fi
queued=$(( $(zcard_sum "${READY_KEYS[@]}") - before_ready ))
echo "check: runs queued in Redis during the measured phase: $queued (201 answers: $created)"
