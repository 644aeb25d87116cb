package io.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.TestApp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The {@code migrate-partitions} command's wiring: the service's env, the summary it prints, its exit code. */
class MigratePartitionsCommandIT {

  @Test
  @DisplayName("migrate-partitions on a deployment without single-tag data prints that nothing moved and exits 0; "
    + "the service then starts on it")
  void nothingToMigrate() {
    Map<String, String> env = new HashMap<>(TestApp.baseEnv("cmd" + Long.toHexString(System.nanoTime())));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code = MigratePartitionsCommand.run(env, new PrintStream(out, true, StandardCharsets.UTF_8),
      new PrintStream(err, true, StandardCharsets.UTF_8));

    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(printed).contains("into 16 partitions").contains("nothing to migrate")
      .contains("run hashes").contains("unknown keys left in place 0").contains("partitions recorded: 16");
    try (TestApp app = TestApp.start(Map.of("ORCH_REDIS_PREFIX", env.get("ORCH_REDIS_PREFIX")))) {
      assertThat(app.orchestrator.httpPort()).isPositive();
    }
  }
}
