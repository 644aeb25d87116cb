package io.orchestrator.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.orchestrator.fixtures.PrivateRedis;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

@DisplayName("the start-up check of Redis's persistence settings")
class RedisPersistenceCheckIT {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    TestApp.await(vertx.close());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "the shipped redis.conf (AOF everysec)  | redis/redis.conf |                                  | ",
    "appendfsync always                     | redis/redis.conf | --appendfsync always             | ",
    "no AOF but RDB save points             |                  | --appendonly no --save 60 1     | has no AOF",
    "persistence off                        |                  | --appendonly no --save EMPTY     | has persistence off",
    "AOF never flushed by Redis             | redis/redis.conf | --appendfsync no                 | appendfsync no"})
  @DisplayName("warns exactly when a Redis crash could lose acknowledged runs")
  void warnsWhenUnsafe(String what, String config, String args, String expectedWarning) {
    assumeTrue(PrivateRedis.available(), "redis-server not installed: skipping");
    // "EMPTY" stands for an empty argument (save "" turns RDB snapshots off)
    String[] extra = args == null ? new String[0]
      : java.util.Arrays.stream(args.split(" ")).map(a -> a.equals("EMPTY") ? "" : a).toArray(String[]::new);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger logger = (Logger) LoggerFactory.getLogger(RedisPersistenceCheck.class);
    logger.addAppender(log);
    try (PrivateRedis redis = config == null ? PrivateRedis.start(extra) : PrivateRedis.start(Path.of(config), extra)) {
      Redis client = Redis.createClient(vertx, redis.url());
      try {
        TestApp.await(RedisPersistenceCheck.warnIfUnsafe(client));
      } finally {
        client.close();
      }
    } finally {
      logger.detachAppender(log);
    }
    List<String> warnings = log.list.stream().filter(e -> e.getLevel() == Level.WARN)
      .map(ILoggingEvent::getFormattedMessage).toList();
    if (expectedWarning == null) {
      assertThat(warnings).as(what).isEmpty();
    } else {
      assertThat(warnings).as(what).singleElement().asString().contains(expectedWarning);
    }
  }
}
