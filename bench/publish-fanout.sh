#!/usr/bin/env bash
# What one PUBLISH costs a Redis Cluster: Redis Cluster broadcasts every published message over the cluster bus to
# every node (masters and replicas), subscribed or not. Sends N (200,000) PUBLISHes of a run-event-sized message
# ("<runId> <seq> <ws> <orchId>", as runChanged publishes) to a channel nobody subscribes to, on one master, with
# redis-benchmark (pipelined 16), and prints every node's CPU time (INFO cpu, user + sys) during it, per message.
#   bench/publish-fanout.sh [seed host:port, default 127.0.0.1:7000] [N]
# Harmless on a shared cluster (a channel of its own, no keys); the nodes' background CPU is measured for as long
# beforehand and printed, not subtracted.
set -euo pipefail
SEED=${1:-127.0.0.1:7000}
N=${2:-200000}
CHANNEL="{bench$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')}:runevents"
MSG="run_01jh5v2k8q3w9x7c4b6n1m0p2r 7 bench-workspace orch_01jh5v2k8q3w9x7c4b6n1m0p2r"
mapfile -t NODES < <(redis-cli -h "${SEED%:*}" -p "${SEED#*:}" cluster nodes \
  | awk '$3 !~ /fail/ {split($2, a, "@"); r = ($3 ~ /master/ ? "master" : "replica"); print a[1], r}' | sort)
cpu() { redis-cli -h "${1%:*}" -p "${1#*:}" info cpu | awk -F: '/^used_cpu_(user|sys):/ {s += $2} END {printf "%.3f", s}'; }
snap() { local n; for n in "${NODES[@]}"; do echo "${n% *} $(cpu "${n% *}")"; done; }
echo "bench/publish-fanout.sh $SEED $N; $(date -u '+%Y-%m-%d %H:%M UTC'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
target=$(redis-cli -h "${SEED%:*}" -p "${SEED#*:}" cluster nodes | awk '$3 ~ /master/ && NF > 8 {split($2, a, "@"); print a[1]; exit}')
a=$(snap); t0=$(date +%s.%N)
redis-benchmark -h "${target%:*}" -p "${target#*:}" -n "$N" -P 16 -c 4 -q publish "$CHANNEL" "$MSG" >/dev/null
t1=$(date +%s.%N); b=$(snap)
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')
sleep "$secs"; c=$(snap)
echo "PUBLISH on $target ($N messages, ${#MSG} bytes, $secs s); CPU of every node, and the same span idle afterwards:"
paste <(echo "$a") <(echo "$b") <(echo "$c") <(printf '%s\n' "${NODES[@]}") | awk -v n="$N" '
  {d = ($4 - $2) * 1000; idle = ($6 - $4) * 1000; sum += d; isum += idle
   printf "  %-16s %-7s %8.1f ms  (%.2f us per message; idle afterwards %.1f ms)\n", $1, $8, d, d * 1000 / n, idle}
  END {printf "RESULT publish-fanout nodes=%d messages=%d cpu_ms_all_nodes=%.1f us_per_message_all_nodes=%.2f idle_ms=%.1f\n", NR, n, sum, sum * 1000 / n, isum}'
