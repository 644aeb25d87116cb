package io.orchestrator.config;

import io.orchestrator.common.Partitions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Everything the service is configured with, built once from {@code ORCH_*} environment variables by
 * {@link ConfigLoader}. A null store URL means "start an embedded server".
 */
public record AppConfig(Http http, Stores stores, Auth auth, Engine engine, Triggers triggers, Bulk bulk,
                        Set<Role> roles, Tracing tracing) {

  /** Without span export. */
  public AppConfig(Http http, Stores stores, Auth auth, Engine engine, Triggers triggers, Bulk bulk,
                   Set<Role> roles) {
    this(http, stores, auth, engine, triggers, bulk, roles,
      new Tracing(null, Map.of(), Tracing.DEFAULT_SERVICE_NAME));
  }

  /** What an instance does; any number of instances with any roles may share the same stores. */
  public enum Role { API, WORKER, SCHEDULER }

  /**
   * @param maxStreams      live-progress streams (Server-Sent Events) an instance keeps open at once; beyond → 503
   * @param streamHeartbeat how often an open stream sends a comment line, so proxies keep it open
   */
  public record Http(String host, int port, int instances, int maxStreams, Duration streamHeartbeat) {
  }

  /**
   * @param timeout   longest wait for a store's answer before the request or step counts it as unavailable
   * @param redisMode one Redis, or a Redis Cluster whose seed nodes {@code redisUrl} lists comma-separated
   * @param partitions how many partitions the run engine's Redis data is split into (DESIGN.md §11)
   */
  public record Stores(String pgUrl, int pgPoolSize, String redisUrl, String redisPrefix, Path dataDir,
                       Duration timeout, RedisMode redisMode, int partitions) {

    /** One Redis server (and the embedded one) with the default partitions. */
    public Stores(String pgUrl, int pgPoolSize, String redisUrl, String redisPrefix, Path dataDir, Duration timeout) {
      this(pgUrl, pgPoolSize, redisUrl, redisPrefix, dataDir, timeout, RedisMode.STANDALONE, Partitions.DEFAULT);
    }

    public boolean embeddedPg() {
      return pgUrl == null;
    }

    public boolean embeddedRedis() {
      return redisUrl == null;
    }

    public boolean redisCluster() {
      return redisMode == RedisMode.CLUSTER;
    }

    /** The seed nodes of {@code redisUrl}: one URL in standalone mode, one or more in cluster mode. */
    public java.util.List<String> redisUrls() {
      return redisUrl == null ? java.util.List.of() : java.util.Arrays.stream(redisUrl.split(","))
        .map(String::trim).filter(u -> !u.isEmpty()).toList();
    }
  }

  /** {@code ORCH_REDIS_MODE}. */
  public enum RedisMode { STANDALONE, CLUSTER }

  /** Exactly one of {@code hmacSecret} and {@code publicKeyPem} is set. */
  public record Auth(String hmacSecret, String publicKeyPem) {
  }

  /**
   * @param shutdownGrace how long a stopping worker lets its runs reach their next park point before it releases
   *                      the ones still mid-step to other instances
   * @param maxResponseBytes largest function answer read; a larger one fails the attempt ({@code response_too_large})
   */
  public record Engine(int maxStepsPerRun, Duration runRetention, int workerConcurrency, Duration leaseDuration,
                       String functionUrlAllow, Duration taskLease, Duration shutdownGrace, int maxResponseBytes) {
  }

  /**
   * Bulk actions on runs (worker instances process them).
   *
   * @param batchSize  runs acted on at once per batch
   * @param batchPause sleep between two batches, so running work keeps the event loop and the stores
   * @param lease      how long an instance holds a bulk operation without renewing it (each batch renews it); after
   *                   that another instance takes it over
   */
  public record Bulk(int batchSize, Duration batchPause, Duration lease) {
  }

  /**
   * @param eventStream     Redis key of the event stream (not prefixed: producers outside the service write to it)
   * @param eventGroup      consumer group every instance joins
   * @param eventClaimIdle  how long an entry stays pending on a consumer before another instance takes it over
   * @param eventRetention  how long entries stay in the stream once every consumer group is done with them
   */
  public record Triggers(int httpTriggerRatePerSecond, String eventStream, String eventGroup,
                         Duration eventClaimIdle, Duration eventRetention) {
  }

  /**
   * Span export (the OpenTelemetry SDK's standard variables, not {@code ORCH_*}).
   *
   * @param tracesEndpoint the OTLP/HTTP URL spans are POSTed to ({@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} as is,
   *                       else {@code OTEL_EXPORTER_OTLP_ENDPOINT} + {@code /v1/traces}); null: nothing is exported
   * @param headers        sent with every export ({@code OTEL_EXPORTER_OTLP_HEADERS}, {@code k=v,k2=v2})
   * @param serviceName    the {@code service.name} resource attribute ({@code OTEL_SERVICE_NAME})
   */
  public record Tracing(String tracesEndpoint, Map<String, String> headers, String serviceName) {

    public static final String DEFAULT_SERVICE_NAME = "orchestrator";
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }
}
