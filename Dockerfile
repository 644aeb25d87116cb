# Orchestrator's image: a build stage (Maven + Temurin 17 JDK) makes the fat jar; the runtime stage is a Temurin 17
# JRE with that jar only, run as a non-root user. Build: docker build -t orchestrator .
# Base images are pinned to exact tags; bump them together with the JDK the project builds with.

FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
# The dependencies first, from the POM alone: this layer is rebuilt only when pom.xml changes, not on every source
# change. Whatever go-offline misses (plugin dependencies resolved late) is fetched by the package step.
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline
COPY openapi.yaml ./
COPY redis ./redis
COPY src/main ./src/main
RUN mvn -B -q -Dmaven.test.skip=true package

FROM eclipse-temurin:17.0.13_11-jre-jammy
# A fixed UID/GID (not root, not one the host is likely to map to a person) so volumes and Kubernetes'
# runAsNonRoot can rely on it. /app/data is the default ORCH_DATA_DIR (./data): the embedded stores and the
# development JWT secret of a zero set-up start live there; with ORCH_PG_URL, ORCH_REDIS_URL and a key set it stays
# empty.
RUN groupadd --gid 10001 orchestrator \
  && useradd --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin orchestrator \
  && mkdir -p /app/data \
  && chown 10001:10001 /app/data
WORKDIR /app
COPY --from=build /src/target/orchestrator.jar /app/orchestrator.jar
USER 10001:10001
EXPOSE 8080
# Heap up to 75 % of the container's memory limit (the JVM's default is 25 %), leaving the rest to metaspace, thread
# stacks, the code cache and Netty's direct buffers; a JVM that ran out of memory exits (and is restarted) instead
# of limping on. Override with -e JAVA_TOOL_OPTIONS=...
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# No curl or wget needed: the jar asks GET /health/live itself (2 s timeout, exit 0/1). A small, short-lived JVM:
# about 0.5 s of CPU per check.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx64m", "-jar", "/app/orchestrator.jar", "healthcheck"]
# SIGTERM starts the graceful stop: HTTP stops accepting, runs reach their next park point (ORCH_SHUTDOWN_GRACE)
# or are released to other instances; the process exits within 30 s, so give it more than Docker's default 10 s
# (docker stop -t 35, compose stop_grace_period: 35s, Kubernetes terminationGracePeriodSeconds: 35).
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-jar", "/app/orchestrator.jar"]
