#!/usr/bin/env bash
# A bulk redrive of 20,000 failed runs beside a steady 200 runs/s workload (see BulkBench for the method):
#   bench/bulk.sh [instances=1|2] [BulkBench options, e.g. --failed=20000 --rate=200 --seconds=20]
# Prints runs redriven per second and the steady workload's p99 latency (trigger -> step started, and the trigger
# request) without and with the bulk running. Target: p99 with the bulk within 2x of the baseline.
source "$(dirname "$0")/lib.sh"
INSTANCES=${1:-1}
shift || true
build
echo "bench/bulk.sh instances=$INSTANCES $*"
machine
for i in $(seq 1 "$INSTANCES"); do start_service "svc$i"; done
TOKEN=$(token)
run_client BulkBench --ports="$(ports_csv)" --token="$TOKEN" --workspace="$WS" "$@"
