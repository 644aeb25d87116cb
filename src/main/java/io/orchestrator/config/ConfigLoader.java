package io.orchestrator.config;

import io.orchestrator.common.Partitions;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads and validates {@code ORCH_*} variables; every bad value fails start-up with a message naming it. */
public final class ConfigLoader {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
  private static final int RECOMMENDED_SECRET_LENGTH = 32;

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)?");
  private static final Duration MAX_SHUTDOWN_GRACE = Duration.ofSeconds(20);

  private final Map<String, String> env;

  private ConfigLoader(Map<String, String> env) {
    this.env = env;
  }

  public static AppConfig fromEnv() {
    return load(System.getenv());
  }

  public static AppConfig load(Map<String, String> env) {
    return new ConfigLoader(env).build();
  }

  /**
   * Only the HTTP settings, validated as at start-up but without the side effects of a full load (the
   * development JWT secret it may create): what the {@code healthcheck} command needs to find the server.
   */
  public static AppConfig.Http http(Map<String, String> env) {
    return new ConfigLoader(env).http();
  }

  private AppConfig build() {
    Path dataDir = Path.of(string("ORCH_DATA_DIR", "./data"));
    AppConfig.Http http = http();
    AppConfig.RedisMode redisMode = redisMode();
    AppConfig.Stores stores = new AppConfig.Stores(url("ORCH_PG_URL", "postgres"), integer("ORCH_PG_POOL_SIZE", 16, 1, 500),
      redisUrl(redisMode), prefix(), dataDir, storeTimeout(), redisMode,
      integer("ORCH_PARTITIONS", Partitions.DEFAULT, 1, Partitions.MAX));
    AppConfig.Engine engine = new AppConfig.Engine(integer("ORCH_MAX_STEPS_PER_RUN", 1000, 1, 1_000_000),
      duration("ORCH_RUN_RETENTION", "24h"), integer("ORCH_WORKER_CONCURRENCY", 256, 1, 100_000),
      duration("ORCH_LEASE_DURATION", "30s"), env.get("ORCH_FUNCTION_URL_ALLOW"),
      duration("ORCH_TASK_LEASE", "30s"), shutdownGrace(),
      integer("ORCH_FUNCTION_MAX_RESPONSE_BYTES", 1_048_576, 1_024, 64 * 1_048_576));
    AppConfig.Triggers triggers = new AppConfig.Triggers(integer("ORCH_HTTP_TRIGGER_RATE", 100, 1, 1_000_000),
      token("ORCH_EVENT_STREAM", "orchestrator:events", 200), token("ORCH_EVENT_GROUP", "orchestrator", 64),
      duration("ORCH_EVENT_CLAIM_IDLE", "30s"), duration("ORCH_EVENT_STREAM_RETENTION", "24h"));
    AppConfig.Bulk bulk = new AppConfig.Bulk(integer("ORCH_BULK_BATCH_SIZE", 100, 1, 1_000),
      duration("ORCH_BULK_BATCH_PAUSE", "10ms"), duration("ORCH_BULK_LEASE", "30s"));
    return new AppConfig(http, stores, auth(dataDir), engine, triggers, bulk, roles(), tracing());
  }

  /**
   * One HTTP event loop per two CPUs by default: each one also carries the runs its triggers start, and on a host it
   * shares with Redis and PostgreSQL one loop per CPU spread the same work thinner (fewer requests and Redis
   * replies per wake-up) at twice the CPU per run (docs/performance.md §18).
   */
  private AppConfig.Http http() {
    return new AppConfig.Http(string("ORCH_HTTP_HOST", "0.0.0.0"), integer("ORCH_HTTP_PORT", 8080, 0, 65535),
      integer("ORCH_HTTP_INSTANCES", Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 1,
        64),
      integer("ORCH_MAX_STREAMS", 10_000, 1, 1_000_000), duration("ORCH_STREAM_HEARTBEAT", "15s"));
  }

  /**
   * Span export, from the OpenTelemetry SDK's own variables: on only when an OTLP endpoint is set. The traces
   * endpoint is used as given; the general one gets {@code /v1/traces} appended (as the SDK's autoconfiguration does).
   */
  private AppConfig.Tracing tracing() {
    String traces = env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    String base = env.get("OTEL_EXPORTER_OTLP_ENDPOINT");
    String endpoint = traces != null && !traces.isBlank() ? traces.trim()
      : base != null && !base.isBlank() ? base.trim().replaceAll("/+$", "") + "/v1/traces" : null;
    if (endpoint != null && !endpoint.matches("^https?://[^\\s/]+.*$")) {
      throw new ConfigException("OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL, got '" + endpoint
        + "'");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String pair : string("OTEL_EXPORTER_OTLP_HEADERS", "").split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        headers.put(URLDecoder.decode(pair.substring(0, eq).trim(), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1).trim(), StandardCharsets.UTF_8));
      }
    }
    return new AppConfig.Tracing(endpoint, Map.copyOf(headers),
      string("OTEL_SERVICE_NAME", AppConfig.Tracing.DEFAULT_SERVICE_NAME));
  }

  /** A store answer longer than this counts as an outage: between 100 ms (a busy store is not down) and 60 s. */
  private Duration storeTimeout() {
    Duration timeout = duration("ORCH_STORE_TIMEOUT", "5s");
    if (timeout.toMillis() < 100 || timeout.toSeconds() > 60) {
      throw new ConfigException("ORCH_STORE_TIMEOUT must be between 100ms and 60s, got '"
        + env.get("ORCH_STORE_TIMEOUT") + "'");
    }
    return timeout;
  }

  /** Bounded so that draining, releasing and closing the stores fit in the 30 s a graceful stop may take. */
  private Duration shutdownGrace() {
    Duration grace = duration("ORCH_SHUTDOWN_GRACE", "10s");
    if (grace.compareTo(MAX_SHUTDOWN_GRACE) > 0) {
      throw new ConfigException("ORCH_SHUTDOWN_GRACE must be at most " + MAX_SHUTDOWN_GRACE.toSeconds() + "s, got '"
        + env.get("ORCH_SHUTDOWN_GRACE") + "'");
    }
    return grace;
  }

  private String string(String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  private int integer(String name, int fallback, int min, int max) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value < min || value > max) {
        throw new ConfigException(name + " must be between " + min + " and " + max + ", got " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be an integer, got '" + raw + "'");
    }
  }

  private Duration duration(String name, String fallback) {
    String raw = string(name, fallback);
    Matcher m = DURATION.matcher(raw.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new ConfigException(name + " must be a duration like 500ms, 30s, 15m, 24h or 7d, got '" + raw + "'");
    }
    String unit = m.group(2) == null ? "ms" : m.group(2);
    Duration value;
    try {
      long amount = Long.parseLong(m.group(1));
      value = switch (unit) {
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        case "d" -> Duration.ofDays(amount);
        default -> Duration.ofMillis(amount);
      };
      value.toMillis();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ConfigException(name + " is too large, got '" + raw + "'");
    }
    if (value.isZero()) {
      throw new ConfigException(name + " must be greater than zero");
    }
    return value;
  }

  private String url(String name, String scheme) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String value = raw.trim();
    if (!value.startsWith(scheme) || !value.contains("://")) {
      throw new ConfigException(name + " must be a " + scheme + "… URL such as "
        + (scheme.equals("redis") ? "redis://127.0.0.1:6379" : "postgresql://user@127.0.0.1:5432/db"));
    }
    return value;
  }

  private AppConfig.RedisMode redisMode() {
    String value = string("ORCH_REDIS_MODE", "standalone");
    try {
      return AppConfig.RedisMode.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("ORCH_REDIS_MODE must be standalone or cluster, got '" + value + "'");
    }
  }

  /**
   * Standalone: one redis:// or rediss:// URL. Cluster: one or more comma-separated seed nodes, each such a URL;
   * cluster mode needs them (the embedded zero-set-up Redis is a single server).
   */
  private String redisUrl(AppConfig.RedisMode mode) {
    String raw = env.get("ORCH_REDIS_URL");
    if (mode == AppConfig.RedisMode.STANDALONE) {
      if (raw != null && raw.contains(",")) {
        throw new ConfigException("ORCH_REDIS_URL lists several servers: set ORCH_REDIS_MODE=cluster for a Redis "
          + "Cluster, or give one redis:// URL");
      }
      return url("ORCH_REDIS_URL", "redis");
    }
    if (raw == null || raw.isBlank()) {
      throw new ConfigException("ORCH_REDIS_MODE=cluster needs ORCH_REDIS_URL with the cluster's seed nodes, "
        + "e.g. redis://10.0.0.1:7000,redis://10.0.0.2:7000 (the embedded Redis is a single server)");
    }
    java.util.List<String> seeds = new java.util.ArrayList<>();
    for (String part : raw.split(",")) {
      String seed = part.trim();
      if (seed.isEmpty()) {
        continue;
      }
      if (!seed.matches("rediss?://\\S+")) {
        throw new ConfigException("ORCH_REDIS_URL must list redis:// or rediss:// seed nodes separated by commas, "
          + "such as redis://10.0.0.1:7000,redis://10.0.0.2:7000; got '" + seed + "'");
      }
      seeds.add(seed);
    }
    if (seeds.isEmpty()) {
      throw new ConfigException("ORCH_REDIS_URL lists no seed node");
    }
    return String.join(",", seeds);
  }

  /** A Redis key or name: printable, no spaces. */
  private String token(String name, String fallback, int maxLength) {
    String value = string(name, fallback);
    if (value.length() > maxLength || !value.matches("[\\x21-\\x7e]+")) {
      throw new ConfigException(name + " must be 1-" + maxLength + " printable characters without spaces");
    }
    return value;
  }

  private String prefix() {
    String value = string("ORCH_REDIS_PREFIX", "orch");
    if (!value.matches("[A-Za-z0-9_-]{1,32}")) {
      throw new ConfigException("ORCH_REDIS_PREFIX must be 1-32 letters, digits, '-' or '_'");
    }
    return value;
  }

  private Set<AppConfig.Role> roles() {
    Set<AppConfig.Role> roles = EnumSet.noneOf(AppConfig.Role.class);
    for (String part : string("ORCH_ROLES", "api,worker,scheduler").split(",")) {
      try {
        roles.add(AppConfig.Role.valueOf(part.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("ORCH_ROLES lists unknown role '" + part.trim() + "' (use api, worker, scheduler)");
      }
    }
    return roles;
  }

  private AppConfig.Auth auth(Path dataDir) {
    String secret = env.get("ORCH_JWT_SECRET");
    String publicKey = env.get("ORCH_JWT_PUBLIC_KEY");
    boolean hasSecret = secret != null && !secret.isBlank();
    boolean hasKey = publicKey != null && !publicKey.isBlank();
    if (hasSecret && hasKey) {
      throw new ConfigException("set either ORCH_JWT_SECRET or ORCH_JWT_PUBLIC_KEY, not both");
    }
    if (hasKey) {
      if (!publicKey.contains("-----BEGIN PUBLIC KEY-----")) {
        throw new ConfigException("ORCH_JWT_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----)");
      }
      return new AppConfig.Auth(null, PublicKeys.canonicalPem(publicKey));
    }
    if (hasSecret) {
      if (secret.length() < RECOMMENDED_SECRET_LENGTH) {
        // Accepted (tokens from existing issuers must keep working) but weak: HS256 wants at least 256 bits.
        LOG.warn("ORCH_JWT_SECRET is shorter than {} characters; use a longer random secret in production",
          RECOMMENDED_SECRET_LENGTH);
      }
      return new AppConfig.Auth(secret, null);
    }
    return new AppConfig.Auth(devSecret(dataDir), null);
  }

  /** Zero set-up: without a configured key, a random secret is kept in the data directory for local use. */
  private static String devSecret(Path dataDir) {
    Path file = dataDir.resolve("dev-jwt-secret");
    try {
      if (Files.exists(file)) {
        return Files.readString(file).trim();
      }
      Files.createDirectories(dataDir);
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      Files.writeString(file, secret);
      return secret;
    } catch (IOException e) {
      throw new ConfigException("cannot read or create the development JWT secret at " + file + ": " + e.getMessage());
    }
  }
}
