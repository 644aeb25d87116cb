package io.orchestrator.deploy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The deployment kit's files as the tests read them: the Grafana dashboard, the alert rules, YAML in general. */
final class DeployFiles {

  static final Path DASHBOARD = Path.of("deploy/grafana/orchestrator.json");
  static final Path ALERTS = Path.of("deploy/prometheus/alerts.yml");

  /** Grafana's {@code label_values(<expr>, <label>)} variable query: only {@code <expr>} is PromQL. */
  private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*\\w+\\s*\\)\\s*$",
    Pattern.DOTALL);

  private DeployFiles() {
  }

  static JsonObject dashboard() {
    return new JsonObject(read(DASHBOARD));
  }

  /** Every panel, rows' nested panels (a collapsed row holds its own) included, depth first. */
  static List<JsonObject> panels(JsonObject dashboard) {
    List<JsonObject> all = new ArrayList<>();
    addPanels(dashboard.getJsonArray("panels", new JsonArray()), all);
    return all;
  }

  private static void addPanels(JsonArray panels, List<JsonObject> all) {
    for (Object item : panels) {
      JsonObject panel = (JsonObject) item;
      all.add(panel);
      addPanels(panel.getJsonArray("panels", new JsonArray()), all);
    }
  }

  /**
   * The PromQL the dashboard runs, each labelled with where it is: every panel target's {@code expr}, and the
   * expression inside each query variable's {@code label_values(…)}.
   */
  static Map<String, String> dashboardExpressions() {
    JsonObject dashboard = dashboard();
    Map<String, String> exprs = new LinkedHashMap<>();
    for (JsonObject panel : panels(dashboard)) {
      JsonArray targets = panel.getJsonArray("targets", new JsonArray());
      for (int i = 0; i < targets.size(); i++) {
        exprs.put("panel '" + panel.getString("title") + "' target " + i, targets.getJsonObject(i).getString("expr"));
      }
    }
    for (Object item : dashboard.getJsonObject("templating").getJsonArray("list")) {
      JsonObject variable = (JsonObject) item;
      if ("query".equals(variable.getString("type"))) {
        Object query = variable.getValue("query");
        String text = query instanceof JsonObject q ? q.getString("query") : String.valueOf(query);
        Matcher m = LABEL_VALUES.matcher(text);
        exprs.put("variable '" + variable.getString("name") + "'", m.matches() ? m.group(1) : text);
      }
    }
    return exprs;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> alertRules() {
    Map<String, Object> file = (Map<String, Object>) yaml(ALERTS);
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
      rules.addAll((List<Map<String, Object>>) group.get("rules"));
    }
    return rules;
  }

  /** Every rule's {@code expr}, labelled by its alert (or record) name. */
  static Map<String, String> alertExpressions() {
    Map<String, String> exprs = new LinkedHashMap<>();
    for (Map<String, Object> rule : alertRules()) {
      Object name = rule.containsKey("alert") ? rule.get("alert") : rule.get("record");
      exprs.put("alert " + name, String.valueOf(rule.get("expr")));
    }
    return exprs;
  }

  /** A YAML file as maps, lists and scalars; no custom tags (SafeConstructor); merge keys ({@code <<}) applied. */
  static Object yaml(Path file) {
    return new Yaml(new SafeConstructor(new LoaderOptions())).load(read(file));
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
