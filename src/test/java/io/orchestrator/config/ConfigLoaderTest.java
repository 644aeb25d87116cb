package io.orchestrator.config;

import io.orchestrator.config.AppConfig.Role;
import io.orchestrator.fixtures.Jwts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Configuration from ORCH_* variables")
class ConfigLoaderTest {

  private static final String SECRET = "0123456789abcdef0123456789abcdef";

  @TempDir
  Path dataDir;

  private Map<String, String> env;

  @BeforeEach
  void baseEnv() {
    env = new HashMap<>();
    env.put("ORCH_DATA_DIR", dataDir.toString());
  }

  private AppConfig load() {
    return ConfigLoader.load(env);
  }

  private void assertRejected(String variable) {
    assertThatThrownBy(this::load).isInstanceOf(ConfigException.class).hasMessageContaining(variable);
  }

  @Test
  @DisplayName("without variables: port 8080 on all interfaces, embedded stores, every role, documented defaults")
  void defaults() {
    AppConfig config = load();

    assertThat(config.http().host()).isEqualTo("0.0.0.0");
    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.http().instances()).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    assertThat(config.stores().embeddedPg()).isTrue();
    assertThat(config.stores().embeddedRedis()).isTrue();
    assertThat(config.stores().pgPoolSize()).isEqualTo(16);
    assertThat(config.stores().redisPrefix()).isEqualTo("orch");
    assertThat(config.stores().dataDir()).isEqualTo(dataDir);
    assertThat(config.roles()).containsExactlyInAnyOrder(Role.API, Role.WORKER, Role.SCHEDULER);
    assertThat(config.engine().maxStepsPerRun()).isEqualTo(1000);
    assertThat(config.engine().runRetention()).isEqualTo(Duration.ofHours(24));
    assertThat(config.engine().workerConcurrency()).isEqualTo(256);
    assertThat(config.engine().leaseDuration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.engine().functionUrlAllow()).isNull();
    assertThat(config.engine().shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.engine().maxResponseBytes()).isEqualTo(1_048_576);
    assertThat(config.triggers().httpTriggerRatePerSecond()).isEqualTo(100);
  }

  @Test
  @DisplayName("the default ./data directory is used when ORCH_DATA_DIR is unset")
  void defaultDataDir() {
    env.remove("ORCH_DATA_DIR");
    env.put("ORCH_JWT_SECRET", SECRET);

    assertThat(load().stores().dataDir()).isEqualTo(Path.of("./data"));
  }

  @Test
  @DisplayName("without a JWT key a random HS256 secret is created once in the data directory and reused")
  void devSecret() throws IOException {
    AppConfig first = load();
    AppConfig second = load();

    assertThat(first.auth().publicKeyPem()).isNull();
    assertThat(first.auth().hmacSecret()).hasSizeGreaterThanOrEqualTo(32);
    assertThat(second.auth().hmacSecret()).isEqualTo(first.auth().hmacSecret());
    assertThat(Files.readString(dataDir.resolve("dev-jwt-secret")).trim()).isEqualTo(first.auth().hmacSecret());
  }

  @Test
  @DisplayName("explicit values are read and trimmed")
  void explicitValues() {
    env.putAll(Map.of("ORCH_HTTP_PORT", " 9090 ", "ORCH_HTTP_HOST", "127.0.0.1", "ORCH_HTTP_INSTANCES", "2",
      "ORCH_PG_URL", "postgresql://u:p@db:5432/orch", "ORCH_REDIS_URL", "redis://cache:6379/1",
      "ORCH_REDIS_PREFIX", "orch-b_2", "ORCH_RUN_RETENTION", "7d", "ORCH_LEASE_DURATION", "1500ms",
      "ORCH_ROLES", " Worker , scheduler", "ORCH_JWT_SECRET", SECRET));
    env.put("ORCH_FUNCTION_MAX_RESPONSE_BYTES", "65536");

    AppConfig config = load();

    assertThat(config.http().port()).isEqualTo(9090);
    assertThat(config.http().host()).isEqualTo("127.0.0.1");
    assertThat(config.http().instances()).isEqualTo(2);
    assertThat(config.stores().pgUrl()).isEqualTo("postgresql://u:p@db:5432/orch");
    assertThat(config.stores().redisUrl()).isEqualTo("redis://cache:6379/1");
    assertThat(config.stores().redisPrefix()).isEqualTo("orch-b_2");
    assertThat(config.engine().runRetention()).isEqualTo(Duration.ofDays(7));
    assertThat(config.engine().leaseDuration()).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.engine().maxResponseBytes()).isEqualTo(65_536);
    assertThat(config.roles()).isEqualTo(EnumSet.of(Role.WORKER, Role.SCHEDULER));
    assertThat(config.has(Role.API)).isFalse();
    assertThat(config.auth().hmacSecret()).isEqualTo(SECRET);
  }

  @ParameterizedTest(name = "ORCH_HTTP_PORT={0}")
  @ValueSource(strings = {"abc", "70000", "65536", "-1", "80.5", "8080x"})
  @DisplayName("a port that is not an integer in 0..65535 is rejected naming ORCH_HTTP_PORT")
  void badPort(String value) {
    env.put("ORCH_HTTP_PORT", value);

    assertRejected("ORCH_HTTP_PORT");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({"ORCH_HTTP_INSTANCES,0", "ORCH_PG_POOL_SIZE,zero", "ORCH_MAX_STEPS_PER_RUN,0",
    "ORCH_WORKER_CONCURRENCY,-4", "ORCH_HTTP_TRIGGER_RATE,1e3", "ORCH_HTTP_INSTANCES,99999999999",
    "ORCH_FUNCTION_MAX_RESPONSE_BYTES,1023", "ORCH_FUNCTION_MAX_RESPONSE_BYTES,1MiB",
    "ORCH_FUNCTION_MAX_RESPONSE_BYTES,67108865"})
  @DisplayName("other integer variables out of range or not integers are rejected by name")
  void badIntegers(String variable, String value) {
    env.put(variable, value);

    assertRejected(variable);
  }

  @ParameterizedTest(name = "ORCH_SHUTDOWN_GRACE={0}")
  @ValueSource(strings = {"21s", "1m", "0", "soon"})
  @DisplayName("a shutdown grace that is not a duration of at most 20 s is rejected naming ORCH_SHUTDOWN_GRACE")
  void badShutdownGrace(String value) {
    env.put("ORCH_SHUTDOWN_GRACE", value);

    assertRejected("ORCH_SHUTDOWN_GRACE");
  }

  @ParameterizedTest(name = "ORCH_STORE_TIMEOUT={0}")
  @ValueSource(strings = {"99ms", "0", "61s", "1h", "fast"})
  @DisplayName("a store timeout outside 100 ms..60 s or not a duration is rejected naming ORCH_STORE_TIMEOUT")
  void badStoreTimeout(String value) {
    env.put("ORCH_STORE_TIMEOUT", value);

    assertRejected("ORCH_STORE_TIMEOUT");
  }

  @Test
  @DisplayName("the store timeout defaults to 5 s and takes a duration")
  void storeTimeout() {
    assertThat(ConfigLoader.load(env).stores().timeout()).isEqualTo(Duration.ofSeconds(5));
    env.put("ORCH_STORE_TIMEOUT", "750ms");
    assertThat(ConfigLoader.load(env).stores().timeout()).isEqualTo(Duration.ofMillis(750));
  }

  @Test
  @DisplayName("a shutdown grace up to 20 s is accepted")
  void shutdownGrace() {
    env.put("ORCH_SHUTDOWN_GRACE", "20s");

    assertThat(load().engine().shutdownGrace()).isEqualTo(Duration.ofSeconds(20));
  }

  @ParameterizedTest(name = "ORCH_RUN_RETENTION={0}")
  @ValueSource(strings = {"abc", "0", "0s", "-5s", "10x", "1.5h", "24 h", "99999999999999999999",
    "9999999999999999d"})
  @DisplayName("a retention that is not a positive duration is rejected naming ORCH_RUN_RETENTION")
  void badRetention(String value) {
    env.put("ORCH_RUN_RETENTION", value);

    assertRejected("ORCH_RUN_RETENTION");
  }

  @ParameterizedTest(name = "ORCH_RUN_RETENTION={0}")
  @CsvSource({"500ms,PT0.5S", "30s,PT30S", "15m,PT15M", "24h,PT24H", "7d,PT168H", "2H,PT2H"})
  @DisplayName("durations take ms, s, m, h or d")
  void durations(String value, String expected) {
    env.put("ORCH_RUN_RETENTION", value);

    assertThat(load().engine().runRetention()).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest(name = "ORCH_ROLES={0}")
  @ValueSource(strings = {"api,cook", "apis", "api;worker", "api,,worker"})
  @DisplayName("an unknown role in ORCH_ROLES is rejected naming the variable")
  void unknownRole(String value) {
    env.put("ORCH_ROLES", value);

    assertRejected("ORCH_ROLES");
  }

  @Test
  @DisplayName("an HS256 secret shorter than 32 characters is accepted as given (only a warning is logged)")
  void shortSecret() {
    env.put("ORCH_JWT_SECRET", "too-short-secret");

    assertThat(ConfigLoader.load(env).auth().hmacSecret()).isEqualTo("too-short-secret");
  }

  @Test
  @DisplayName("setting both ORCH_JWT_SECRET and ORCH_JWT_PUBLIC_KEY is rejected")
  void secretAndPublicKey() {
    env.put("ORCH_JWT_SECRET", SECRET);
    env.put("ORCH_JWT_PUBLIC_KEY", Jwts.publicKeyPem(Jwts.ecKeyPair().getPublic()));

    assertThatThrownBy(this::load).isInstanceOf(ConfigException.class)
      .hasMessageContaining("ORCH_JWT_SECRET").hasMessageContaining("ORCH_JWT_PUBLIC_KEY");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"not a pem", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ user@host",
    "-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n-----END PUBLIC KEY-----",
    "-----BEGIN PUBLIC KEY-----\n!!!*not-base64*!!!\n-----END PUBLIC KEY-----"})
  @DisplayName("a public key that is not a PEM RSA or EC public key is rejected at load, naming ORCH_JWT_PUBLIC_KEY")
  void badPublicKey(String value) {
    env.put("ORCH_JWT_PUBLIC_KEY", value);

    assertRejected("ORCH_JWT_PUBLIC_KEY");
  }

  @Test
  @DisplayName("a PEM RSA or EC public key is accepted and replaces the HS256 secret")
  void publicKeys() {
    for (String pem : new String[] {Jwts.publicKeyPem(Jwts.rsaKeyPair().getPublic()),
      Jwts.publicKeyPem(Jwts.ecKeyPair().getPublic())}) {
      env.put("ORCH_JWT_PUBLIC_KEY", pem);

      AppConfig.Auth auth = load().auth();

      assertThat(auth.hmacSecret()).isNull();
      assertThat(auth.publicKeyPem()).isEqualTo(pem.trim());
    }
    assertThat(PublicKeys.jwtAlgorithm(Jwts.publicKeyPem(Jwts.rsaKeyPair().getPublic()))).isEqualTo("RS256");
    assertThat(PublicKeys.jwtAlgorithm(Jwts.publicKeyPem(Jwts.ecKeyPair().getPublic()))).isEqualTo("ES256");
  }

  @ParameterizedTest(name = "ORCH_PG_URL={0}")
  @ValueSource(strings = {"mysql://root@127.0.0.1:3306/db", "127.0.0.1:5432", "jdbc:postgresql://127.0.0.1/db",
    "redis://127.0.0.1:6379"})
  @DisplayName("a PostgreSQL URL that is not postgres:// or postgresql:// is rejected naming ORCH_PG_URL")
  void badPgUrl(String value) {
    env.put("ORCH_PG_URL", value);

    assertRejected("ORCH_PG_URL");
  }

  @ParameterizedTest(name = "ORCH_PG_URL={0}")
  @ValueSource(strings = {"postgres://u@h:5432/d", "postgresql://u@h:5432/d"})
  @DisplayName("both postgres:// and postgresql:// URLs are accepted")
  void pgUrlSchemes(String value) {
    env.put("ORCH_PG_URL", value);

    assertThat(load().stores().pgUrl()).isEqualTo(value);
  }

  @ParameterizedTest(name = "ORCH_REDIS_URL={0}")
  @ValueSource(strings = {"postgresql://u@h/d", "127.0.0.1:6379", "http://cache:6379"})
  @DisplayName("a Redis URL that is not redis:// is rejected naming ORCH_REDIS_URL")
  void badRedisUrl(String value) {
    env.put("ORCH_REDIS_URL", value);

    assertRejected("ORCH_REDIS_URL");
  }

  @ParameterizedTest(name = "ORCH_REDIS_PREFIX={0}")
  @ValueSource(strings = {"has space", "a{b}", "x:y", "abcdefghijklmnopqrstuvwxyz0123456789"})
  @DisplayName("a Redis prefix outside [A-Za-z0-9_-]{1,32} is rejected (it goes into hash-tagged keys)")
  void badPrefix(String value) {
    env.put("ORCH_REDIS_PREFIX", value);

    assertRejected("ORCH_REDIS_PREFIX");
  }
}
