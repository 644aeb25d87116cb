#!/usr/bin/env bash
# Scheduler firing lateness with 10,000 active, staggered schedules (see ScheduleLatenessBench).
#   ORCH_TEST_PG_URL=postgresql://postgres@127.0.0.1:5432/test ORCH_TEST_REDIS_URL=redis://127.0.0.1:6379 \
#     bench/schedule-lateness.sh
# Optional: SCHEDULES (default 10000), MEASURE_SECONDS (default 60), ROLES (default api,worker,scheduler),
#   CSV=<file> (every fire), JAVA_OPTS. Without the URLs, embedded servers are used.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -Xmx2g ${JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.orchestrator.bench.ScheduleLatenessBench "$@"
