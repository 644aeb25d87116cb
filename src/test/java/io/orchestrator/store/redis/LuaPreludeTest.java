package io.orchestrator.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.runs.RunStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LuaPreludeTest {

  /** A band base written as a number, or a key part written as a string literal. */
  private static final Pattern SHARED_LITERAL = Pattern.compile("\\de13|'(run|idx|task|tq):'|':bystatus'");

  @Test
  @DisplayName("the prelude carries the Java values of every status band and key part")
  void preludeValues() {
    for (RunStatus status : RunStatus.values()) {
      assertThat(LuaPrelude.SOURCE).contains(Long.toString(StatusBands.base(status)));
    }
    assertThat(LuaPrelude.SOURCE).contains("'" + RedisKeys.RUN + "'", "'" + RedisKeys.INDEX + "'",
      "'" + RedisKeys.STATUS_INDEX + "'", "'" + RedisKeys.TASK + "'", "'" + RedisKeys.TASK_QUEUE + "'");
  }

  @Test
  @DisplayName("no script spells a status band or a key part itself: they come from the prelude")
  void scriptsUseThePrelude() throws IOException {
    try (Stream<Path> scripts = Files.list(Path.of("redis")).filter(p -> p.toString().endsWith(".lua"))) {
      for (Path script : scripts.toList()) {
        List<String> code = Files.readAllLines(script).stream()
          .filter(line -> !line.strip().startsWith("--") && !line.startsWith("  KEYS[") && !line.startsWith("  ARGV["))
          .toList();
        assertThat(code).as(script.toString()).noneMatch(line -> SHARED_LITERAL.matcher(line).find());
      }
    }
  }

  @Test
  @DisplayName("the catalogue names exactly the scripts in redis/")
  void catalogueIsComplete() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("redis"))) {
      List<String> onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".lua"))
        .map(n -> n.substring(0, n.length() - ".lua".length())).toList();
      assertThat(Scripts.ALL).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(onDisk);
    }
  }
}
