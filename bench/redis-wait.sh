#!/usr/bin/env bash
# What WAIT 1 <timeout> after every acknowledged write would cost on a Redis Cluster (see RedisWaitBench):
#   bench/redis-wait.sh [--writers=64] [--seconds=10] [--rounds=2] [--warmupSeconds=10] [--payloadBytes=900]
#                       [--waitTimeoutMs=100] [--keysPerWriter=1000]
# Starts a private Redis Cluster (3 masters + 3 replicas on free loopback ports, redis/redis.conf: AOF everysec),
# 64 closed-loop writers of a run-sized script (HSET ~1 KB + 2 ZADD), phases alternating without and with WAIT 1 100
# on the writer's connection; prints writes/s and p50/p99 latency per phase, then both modes and their ratio. The
# cluster is killed and its directories deleted at the end. No service process, no PostgreSQL. CPU ms per write
# (masters, replicas, the load generator) are read from /proc per phase.
source "$(dirname "$0")/lib.sh"
build
echo "bench/redis-wait.sh $*"
machine
echo "private cluster: $(redis-server --version | grep -o 'v=[0-9.]*')"
bench_java RedisWaitBench "$@"
echo "load average at the end: $(cut -d" " -f1-3 /proc/loadavg)"
