package io.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Dockerfile: a multi-stage build whose runtime stage is a pinned JRE running the jar as a non-root user")
class DockerfileTest {

  /** An image reference pinned to a digest, or to a tag holding a full x.y.z version. */
  private static final Pattern PINNED =
    Pattern.compile("[^:@\\s]+(@sha256:[0-9a-f]{64}|:[^\\s]*\\d+\\.\\d+\\.\\d+[^\\s]*)");

  private final List<List<Instruction>> stages = stages(DeployFiles.read(Path.of("Dockerfile")));
  private final List<Instruction> runtime = stages.get(stages.size() - 1);

  @Test
  @DisplayName("two stages or more; every base image pinned (full version or digest, never latest)")
  void pinnedMultiStage() {
    assertThat(stages).hasSizeGreaterThanOrEqualTo(2);
    for (List<Instruction> stage : stages) {
      String image = stage.get(0).args().split("\\s+")[0];
      assertThat(image).as("FROM of a stage").matches(PINNED).doesNotContain(":latest");
    }
    assertThat(stages.get(0).get(0).args()).as("the build stage: Maven on a Temurin 17 JDK")
      .matches("maven:\\S*eclipse-temurin-17\\S* AS \\w+");
    assertThat(runtime.get(0).args()).as("the runtime stage: a Temurin 17 JRE").matches("eclipse-temurin:17\\S*-jre\\S*");
  }

  @Test
  @DisplayName("the build stage resolves dependencies from pom.xml before it copies the sources (a cached layer)")
  void dependencyLayerFirst() {
    List<Instruction> build = stages.get(0);
    int pom = indexOf(build, "COPY", "pom.xml");
    int offline = indexOf(build, "RUN", "dependency:go-offline");
    int sources = indexOf(build, "COPY", "src");
    assertThat(pom).isPositive();
    assertThat(offline).isGreaterThan(pom);
    assertThat(sources).isGreaterThan(offline);
    assertThat(indexOf(build, "RUN", " package")).isGreaterThan(sources);
  }

  @Test
  @DisplayName("the runtime stage runs as a fixed non-root UID, in /app, with only the jar from the build stage")
  void runtimeStage() {
    List<String> users = argsOf(runtime, "USER");
    assertThat(users).isNotEmpty();
    assertThat(users.get(users.size() - 1)).as("the last USER: numeric, so runAsNonRoot can check it")
      .matches("[1-9]\\d*(:[1-9]\\d*)?");
    assertThat(argsOf(runtime, "WORKDIR")).containsExactly("/app");
    List<String> copies = argsOf(runtime, "COPY");
    assertThat(copies).hasSize(1);
    assertThat(copies.get(0)).matches("--from=\\w+ \\S+/orchestrator\\.jar /app/orchestrator\\.jar");
    assertThat(runtime).as("no build tool in the runtime stage")
      .noneMatch(i -> i.args().toLowerCase(Locale.ROOT).matches(".*\\b(mvn|maven|gradle|javac)\\b.*"));
  }

  @Test
  @DisplayName("EXPOSE 8080, JVM flags for containers, SIGTERM, exec-form ENTRYPOINT of the jar")
  void runtimeSettings() {
    assertThat(argsOf(runtime, "EXPOSE")).containsExactly("8080");
    assertThat(argsOf(runtime, "ENV")).anySatisfy(env -> assertThat(env).startsWith("JAVA_TOOL_OPTIONS=")
      .contains("-XX:MaxRAMPercentage=75").contains("-XX:+ExitOnOutOfMemoryError"));
    assertThat(argsOf(runtime, "STOPSIGNAL")).containsExactly("SIGTERM");
    assertThat(argsOf(runtime, "ENTRYPOINT")).containsExactly("[\"java\", \"-jar\", \"/app/orchestrator.jar\"]");
  }

  @Test
  @DisplayName("HEALTHCHECK runs the jar's healthcheck sub-command (exec form, no curl), which App dispatches")
  void healthcheck() {
    List<String> checks = argsOf(runtime, "HEALTHCHECK");
    assertThat(checks).hasSize(1);
    Matcher m = Pattern.compile("(.*)CMD (\\[.*])").matcher(checks.get(0));
    assertThat(m.matches()).as(checks.get(0)).isTrue();
    assertThat(m.group(1)).contains("--interval=").contains("--timeout=").contains("--retries=");
    assertThat(m.group(2)).startsWith("[\"java\",").endsWith("\"-jar\", \"/app/orchestrator.jar\", \"healthcheck\"]")
      .doesNotContain("curl").doesNotContain("wget");
    assertThat(DeployFiles.read(Path.of("src/main/java/io/orchestrator/App.java")))
      .contains("args[0].equals(\"healthcheck\")");
  }

  @Test
  @DisplayName(".dockerignore keeps build output, data, node_modules and .git out; what the build copies exists")
  void buildContext() {
    List<String> ignored = DeployFiles.read(Path.of(".dockerignore")).lines()
      .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    assertThat(ignored).contains("target/", "data/", "bench/peer/node_modules", ".git");
    for (String copy : argsOf(stages.get(0), "COPY")) {
      String[] parts = copy.split("\\s+");
      for (int i = 0; i < parts.length - 1; i++) {
        Path source = Path.of(parts[i]);
        assertThat(Files.exists(source)).as("build-stage COPY source %s", source).isTrue();
        assertThat(ignored).as("%s is not ignored", source)
          .noneMatch(pattern -> source.startsWith(pattern.replaceAll("/$", "")));
      }
    }
  }

  private record Instruction(String keyword, String args) {
  }

  /** Instructions grouped by stage (each starting with its FROM); comments dropped, continuation lines joined. */
  private static List<List<Instruction>> stages(String dockerfile) {
    List<List<Instruction>> stages = new ArrayList<>();
    String joined = dockerfile.replaceAll("(?m)^\\s*#.*\\n", "").replaceAll("\\\\\\n\\s*", " ");
    for (String line : joined.lines().map(String::trim).filter(l -> !l.isEmpty()).toList()) {
      String[] parts = line.split("\\s+", 2);
      Instruction instruction = new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : "");
      if (instruction.keyword().equals("FROM")) {
        stages.add(new ArrayList<>());
      }
      assertThat(stages).as("an instruction before the first FROM: " + line).isNotEmpty();
      stages.get(stages.size() - 1).add(instruction);
    }
    return stages;
  }

  private static List<String> argsOf(List<Instruction> stage, String keyword) {
    return stage.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
  }

  private static int indexOf(List<Instruction> stage, String keyword, String argsContain) {
    for (int i = 0; i < stage.size(); i++) {
      if (stage.get(i).keyword().equals(keyword) && stage.get(i).args().contains(argsContain)) {
        return i;
      }
    }
    return -1;
  }
}
