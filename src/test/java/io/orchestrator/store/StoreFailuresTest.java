package io.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.common.StoreUnavailableException;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.redis.client.impl.types.ErrorType;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoreFailuresTest {

  private final StoreFailures failures = new StoreFailures();

  @ParameterizedTest
  @ValueSource(strings = {"LOADING Redis is loading the dataset in memory",
    "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.",
    "READONLY You can't write against a read only replica.", "MASTERDOWN Link with MASTER is down",
    "TRYAGAIN Multiple keys request during rehashing of slot", "CLUSTERDOWN The cluster is down",
    "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk",
    "CONNECTION_CLOSED", "ERR [0] LOADING Redis is loading the dataset in memory", "ERR [3] BUSY Redis is busy"})
  @DisplayName("Redis replies a server gives while it cannot serve are outages of Redis")
  void redisOutageReplies(String reply) {
    Throwable translated = StoreFailures.fromRedis(ErrorType.create(reply));
    assertThat(translated).isInstanceOf(StoreUnavailableException.class);
    assertThat(((StoreUnavailableException) translated).store()).isEqualTo("Redis");
    assertThat(failures.of(ErrorType.create(reply))).map(StoreUnavailableException::store).contains("Redis");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ERR Error running script (call to f_abc): user_script:3: attempt to compare nil",
    "WRONGTYPE Operation against a key holding the wrong kind of value", "NOSCRIPT No matching script",
    "BUSYGROUP Consumer Group name already exists", "ERR [1] WRONGTYPE Operation against a key"})
  @DisplayName("Redis replies of a healthy server (a script bug, NOSCRIPT, BUSYGROUP) are not outages")
  void redisBugReplies(String reply) {
    ErrorType error = ErrorType.create(reply);
    assertThat(StoreFailures.fromRedis(error)).isSameAs(error);
    assertThat(failures.of(error)).isEmpty();
  }

  @Test
  @DisplayName("any Redis client failure that is not a reply (refused, reset, timed out) is an outage")
  void redisConnectionFailures() {
    assertThat(StoreFailures.fromRedis(new ConnectException("Connection refused")))
      .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("Connection refused");
    assertThat(StoreFailures.fromRedis(new TimeoutException("Timed out after waiting 5000(ms)")))
      .isInstanceOf(StoreUnavailableException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"57P01", "57P02", "57P03", "08006", "08001", "08003", "53300"})
  @DisplayName("PostgreSQL shutdown, start-up and connection SQLSTATEs are outages of PostgreSQL")
  void postgresOutageStates(String sqlState) {
    PgException error = new PgException("terminating connection due to administrator command", "FATAL", sqlState,
      null);
    assertThat(failures.of(error)).map(StoreUnavailableException::store).contains("PostgreSQL");
  }

  @ParameterizedTest
  @ValueSource(strings = {"23505", "42P01", "22P05", "40001"})
  @DisplayName("PostgreSQL errors of a healthy server (unique violation, missing table, bad data) are not outages")
  void postgresBugStates(String sqlState) {
    assertThat(failures.of(new PgException("boom", "ERROR", sqlState, null))).isEmpty();
  }

  @Test
  @DisplayName("a closed or refused PostgreSQL connection and a pool timeout are outages, also as a cause")
  void postgresConnectionFailures() {
    assertThat(failures.of(ClosedConnectionException.INSTANCE)).isPresent();
    assertThat(failures.of(new ConnectException("Connection refused: /127.0.0.1:5432"))).isPresent();
    assertThat(failures.of(new VertxException("Timeout", true))).isPresent();
    assertThat(failures.of(new IllegalStateException("wrapped", new ConnectException("refused")))).isPresent();
  }

  @Test
  @DisplayName("bugs are not outages")
  void bugs() {
    assertThat(failures.of(new NullPointerException())).isEqualTo(Optional.empty());
    assertThat(failures.of(new IllegalArgumentException("extendLease-2 takes 2 keys, got 3"))).isEmpty();
  }
}
