#!/usr/bin/env bash
# Store outages under load (DESIGN.md §12; see OutageBench for the method and the figures):
#   bench/outage.sh [OutageBench options, e.g. --rate=500 --delayMs=2000 --steadySeconds=10 --pgCutSeconds=10]
# 3 service instances (api,worker) at 500 triggers/s of compute -> delay 2 s -> compute; Redis (a private
# redis-server with redis/redis.conf: AOF, everysec) killed with SIGKILL and restarted from its AOF; PostgreSQL cut
# for 10 s by a proxy. OutageBench starts Redis, the proxy, the function server and the services itself; the
# service logs stay in target/bench-logs/outage-<time>/ and their distinct WARN/ERROR lines are summed up at the end.
# lib.sh's exit trap deletes the workspace's PostgreSQL rows.
source "$(dirname "$0")/lib.sh"
build
echo "bench/outage.sh $*"
machine
echo "private Redis: $(redis-server --version | grep -o 'v=[0-9.]*')"
LOGS="$ROOT/target/bench-logs/outage-$(date +%Y%m%d-%H%M%S)"
rc=0
bench_java OutageBench --workspace="$WS" --pgUrl="$PG_URL" --logDir="$LOGS" "$@" || rc=$?
echo "--- service WARN/ERROR lines in $LOGS (distinct after dropping time and thread; ids and numbers shortened):"
grep -hE '^[0-9:.]+ +(WARN|ERROR) ' "$LOGS"/svc*.log 2>/dev/null \
  | sed -E 's/^[0-9:.]+ +//; s/ \[[^]]*\] / /; s/(run|orch|func)_[0-9a-z]+/\1_…/g; s/[0-9]{3,}/N/g' \
  | sort | uniq -c | sort -rn | head -40 || true
echo "load average at the end: $(cut -d" " -f1-3 /proc/loadavg)"
exit $rc
