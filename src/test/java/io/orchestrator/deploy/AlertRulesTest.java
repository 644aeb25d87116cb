package io.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("deploy/prometheus/alerts.yml: well-formed rules, the alerts docs/operations.md recommends, documented")
class AlertRulesTest {

  /** {@code up} or an {@code http_server_*} series, and its label selector if it has one. */
  private static final Pattern SHARED_NAME = Pattern.compile("(?<![\\w:])(up(?![\\w:])|http_server_\\w+)(\\{[^}]*})?");

  private final List<Map<String, Object>> rules = DeployFiles.alertRules();
  private final Map<String, String> exprs = DeployFiles.alertExpressions();

  @Test
  @DisplayName("every rule is a uniquely named alert with an expression, a for:, a severity, a summary and a description")
  void rulesAreWellFormed() {
    assertThat(rules).hasSizeGreaterThanOrEqualTo(8);
    Set<Object> names = new HashSet<>();
    for (Map<String, Object> rule : rules) {
      Object name = rule.get("alert");
      assertThat(String.valueOf(name)).as("alert name").matches("Orchestrator[A-Z][A-Za-z]+");
      assertThat(names.add(name)).as("unique name %s", name).isTrue();
      assertThat(PromQlMetricNames.of(String.valueOf(rule.get("expr")))).as("series of %s", name).isNotEmpty();
      assertThat(String.valueOf(rule.get("for"))).as("for: of %s", name).matches("\\d+[smh]");
      assertThat(map(rule, "labels").get("severity")).as("severity of %s", name).isIn("critical", "warning");
      Map<String, Object> annotations = map(rule, "annotations");
      assertThat(annotations.get("summary")).as("summary of %s", name).asString().isNotBlank();
      assertThat(annotations.get("description")).as("description of %s", name).asString().isNotBlank();
    }
  }

  @Test
  @DisplayName("the recommended alerts are there: ready and unarchived queues growing, worker tasks unpolled, "
    + "instance down, 5xx, failing runs, late wake-ups")
  void recommendedAlertsArePresent() {
    assertThat(alertUsing("orchestrator_queue_ready")).contains("OrchestratorReadyQueueGrowing");
    assertThat(alertUsing("orchestrator_queue_unarchived")).contains("OrchestratorUnarchivedRunsGrowing");
    assertThat(alertUsing("orchestrator_tasks_oldest_age_seconds")).contains("OrchestratorWorkerTasksNotPolled");
    assertThat(alertUsing("up")).contains("OrchestratorInstanceDown", "OrchestratorTargetMissing");
    assertThat(alertUsing("http_server_requests_seconds_count")).contains("OrchestratorHighServerErrorRate");
    assertThat(exprs.get("alert OrchestratorHighServerErrorRate")).contains("status=~\"5..\"")
      .contains("by (job, operation)");
    assertThat(alertUsing("orchestrator_runs_finished_total")).contains("OrchestratorRunsFailing");
    assertThat(alertUsing("orchestrator_wakeup_lateness_seconds_bucket")).contains("OrchestratorWakeUpsLate");
  }

  @Test
  @DisplayName("rules on names other services export too (up, http_server_requests_seconds) select job=\"orchestrator\"")
  void sharedNamesSelectTheJob() {
    exprs.forEach((alert, expr) -> {
      Matcher m = SHARED_NAME.matcher(expr);
      while (m.find()) {
        assertThat(m.group(2)).as("the selector of %s in %s", m.group(1), alert).isNotNull()
          .contains("job=\"orchestrator\"");
      }
    });
    assertThat(exprs.values()).anyMatch(e -> SHARED_NAME.matcher(e).find());
  }

  @Test
  @DisplayName("docs/operations.md names every alert of the file")
  void documented() {
    String doc = DeployFiles.read(Path.of("docs/operations.md"));
    assertThat(doc).contains("deploy/prometheus/alerts.yml");
    rules.forEach(rule -> assertThat(doc).as("docs/operations.md").contains("`" + rule.get("alert") + "`"));
  }

  @Test
  @DisplayName("promtool accepts the rules and passes alerts.test.yml (skipped where promtool is not installed)")
  void promtool() throws Exception {
    assumeTrue(onPath("promtool"), "promtool is not on the PATH (Debian: apt-get install prometheus)");
    assertThat(run("promtool", "check", "rules", DeployFiles.ALERTS.toString())).startsWith("0:");
    assertThat(run("promtool", "test", "rules", "deploy/prometheus/alerts.test.yml")).startsWith("0:");
  }

  private Set<String> alertUsing(String series) {
    Set<String> alerts = new HashSet<>();
    exprs.forEach((alert, expr) -> {
      if (PromQlMetricNames.of(expr).contains(series)) {
        alerts.add(alert.substring("alert ".length()));
      }
    });
    return alerts;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> rule, String key) {
    Object value = rule.get(key);
    assertThat(value).as("%s of %s", key, rule.get("alert")).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  private static boolean onPath(String command) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
      .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
  }

  /** "exit code: output" of a command run in the project directory. */
  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", String.join(" ", command)).isTrue();
    return process.exitValue() + ": " + output;
  }
}
