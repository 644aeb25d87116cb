package io.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("deploy/grafana/orchestrator.json: an importable dashboard over every meter the service registers")
class GrafanaDashboardTest {

  private static final String DATASOURCE = "${DS_PROMETHEUS}";
  private static final Pattern METER = Pattern.compile("(Gauge|Counter|Timer)\\.builder\\(\"([a-z.]+)\"");
  private static final Pattern DOCUMENTED = Pattern.compile("`((?:orchestrator|http_server)_[^`]*)`");

  private final JsonObject dashboard = DeployFiles.dashboard();
  private final List<JsonObject> panels = DeployFiles.panels(dashboard);

  @Test
  @DisplayName("schemaVersion 39, a datasource variable DS_PROMETHEUS, and every panel and target uses it: no uid")
  void datasourceIsAVariable() {
    assertThat(dashboard.getInteger("schemaVersion")).isEqualTo(39);
    JsonObject variable = variables().stream().filter(v -> "DS_PROMETHEUS".equals(v.getString("name")))
      .findFirst().orElseThrow(() -> new AssertionError("no DS_PROMETHEUS variable"));
    assertThat(variable.getString("type")).isEqualTo("datasource");
    assertThat(variable.getString("query")).isEqualTo("prometheus");

    List<String> datasources = new ArrayList<>();
    collectDatasourceUids(dashboard, "", datasources);
    assertThat(datasources).isNotEmpty()
      .allSatisfy(entry -> assertThat(entry).as("a datasource that is not the variable (built-in annotations aside)")
        .matches(".* = (\\Q" + DATASOURCE + "\\E|-- Grafana --)"));
    assertThat(panels).filteredOn(p -> !"row".equals(p.getString("type")))
      .allSatisfy(p -> assertThat(p.getJsonObject("datasource").getString("uid")).isEqualTo(DATASOURCE));
  }

  @Test
  @DisplayName("panel ids are unique, every panel has a target with an expression, and it fits the 24-column grid")
  void panelsAreWellFormed() {
    Set<Integer> ids = new HashSet<>();
    for (JsonObject panel : panels) {
      String title = panel.getString("title");
      assertThat(ids.add(panel.getInteger("id"))).as("unique id of '%s'", title).isTrue();
      JsonObject grid = panel.getJsonObject("gridPos");
      assertThat(grid.getInteger("x") + grid.getInteger("w")).as("right edge of '%s'", title).isLessThanOrEqualTo(24);
      if (!"row".equals(panel.getString("type"))) {
        JsonArray targets = panel.getJsonArray("targets");
        assertThat(targets).as("targets of '%s'", title).isNotEmpty();
        targets.forEach(t -> assertThat(PromQlMetricNames.of(((JsonObject) t).getString("expr")))
          .as("series of a target of '%s'", title).isNotEmpty());
      }
    }
    assertThat(panels).anySatisfy(p -> assertThat(p.getBoolean("collapsed", false)).isTrue());
  }

  @Test
  @DisplayName("every histogram_quantile reads a _bucket series summed by le")
  void quantilesReadBuckets() {
    List<String> quantiles = DeployFiles.dashboardExpressions().values().stream()
      .filter(e -> e.contains("histogram_quantile")).toList();
    assertThat(quantiles).isNotEmpty().allSatisfy(e -> assertThat(e).contains("_bucket{").containsPattern(
      "by \\(le[,)]"));
  }

  @Test
  @DisplayName("every meter registered in src/main/java has a panel, under its Prometheus name")
  void everyRegisteredMeterHasAPanel() throws IOException {
    Set<String> families = new TreeSet<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = METER.matcher(Files.readString(file));
        while (m.find()) {
          String base = m.group(2).replace('.', '_');
          families.add(switch (m.group(1)) {
            case "Counter" -> base + "_total";
            case "Timer" -> base + "_seconds";
            default -> base;
          });
        }
      }
    }
    assertThat(families).contains("http_server_requests_seconds", "orchestrator_queue_ready",
      "orchestrator_runs_started_total");
    assertThat(families).allSatisfy(family -> assertThat(dashboardSeries()).as("dashboard series for %s", family)
      .anyMatch(series -> ofFamily(series, family)));
  }

  @Test
  @DisplayName("every meter docs/operations.md lists under GET /metrics has a panel")
  void everyDocumentedMeterHasAPanel() {
    String doc = DeployFiles.read(Path.of("docs/operations.md"));
    String section = doc.substring(doc.indexOf("## Health and metrics"));
    section = section.substring(0, section.indexOf("\n## ", 1));
    Set<String> families = new TreeSet<>();
    Matcher m = DOCUMENTED.matcher(section);
    while (m.find()) {
      families.addAll(documentedFamilies(m.group(1)));
    }
    assertThat(families).contains("orchestrator_queue_timers", "orchestrator_tasks_oldest_age_seconds",
      "orchestrator_bulk_batch_seconds");
    assertThat(families).allSatisfy(family -> assertThat(dashboardSeries()).as("dashboard series for %s", family)
      .anyMatch(series -> ofFamily(series, family)));
  }

  /** {@code a_{b,c}} → a_b, a_c; {@code name{label,…}} → name. */
  private static List<String> documentedFamilies(String token) {
    int brace = token.indexOf('{');
    if (brace > 0 && token.charAt(brace - 1) == '_') {
      String prefix = token.substring(0, brace);
      return Stream.of(token.substring(brace + 1, token.indexOf('}')).split(",")).map(s -> prefix + s.trim())
        .toList();
    }
    return List.of(brace < 0 ? token : token.substring(0, brace));
  }

  /** A series of a family: itself, or a histogram's or timer's _bucket, _count, _sum or _max series. */
  private static boolean ofFamily(String series, String family) {
    return series.equals(family) || series.matches(Pattern.quote(family) + "_(bucket|count|sum|max)");
  }

  private static Set<String> dashboardSeries() {
    Set<String> series = new TreeSet<>();
    DeployFiles.dashboardExpressions().values().forEach(e -> series.addAll(PromQlMetricNames.of(e)));
    return series;
  }

  private List<JsonObject> variables() {
    List<JsonObject> list = new ArrayList<>();
    dashboard.getJsonObject("templating").getJsonArray("list").forEach(v -> list.add((JsonObject) v));
    return list;
  }

  /** "path = uid" of every "datasource" object anywhere in the dashboard. */
  private static void collectDatasourceUids(Object node, String path, List<String> out) {
    if (node instanceof JsonObject object) {
      for (Map.Entry<String, Object> entry : object) {
        if (entry.getKey().equals("datasource") && entry.getValue() instanceof JsonObject ds) {
          out.add(path + "/datasource = " + ds.getString("uid"));
        } else if (entry.getKey().equals("datasource") && entry.getValue() instanceof String name) {
          out.add(path + "/datasource = " + name); // the pre-uid style: a data source's name
        } else {
          collectDatasourceUids(entry.getValue(), path + "/" + entry.getKey(), out);
        }
      }
    } else if (node instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        collectDatasourceUids(array.getValue(i), path + "[" + i + "]", out);
      }
    }
  }
}
