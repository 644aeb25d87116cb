package io.orchestrator.api;

import static io.orchestrator.api.ApiTestSupport.computeStep;
import static io.orchestrator.api.ApiTestSupport.createFunction;
import static io.orchestrator.api.ApiTestSupport.functionBody;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.SharedApp;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seeded random mutations of valid bodies against every write endpoint: wrong types, nulls, huge strings, deep
 * nesting, unicode, out-of-range numbers, extra fields, truncated text and binary garbage. Every answer must be a
 * 4xx JSON error (or a legitimate success, which is tracked), never a 5xx, and refused writes change nothing.
 */
@SharedApp.Config
class WriteFuzzIT {

  private static final long SEED = 0x5EED_2025L;
  private static final int CASES_PER_ENDPOINT = 75;
  private static final String RAW = "@@RAW";

  /** Literal JSON (or almost-JSON) number and token texts that a JsonObject cannot hold as written. */
  private static final List<String> RAW_TOKENS = List.of("1e309", "-1e309", "1e-400", "1E+999999999",
    "123456789012345678901234567890", "-123456789012345678901234567890.5", "-0", "-0.0", "9223372036854775808",
    "-9223372036854775809", "2147483648", "1.0", "1000.000", "NaN", "Infinity", "-Infinity", "0x1F", "01", ".5",
    "+1", "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\\u0000\"", "\"a\\u0000b\"", "\"\\uFFFF\"", "\"\\x41\"",
    "\"\u0007\"", "true false", "[1,]", "{\"a\":1,\"a\":2}", "\"" + "\\\\".repeat(5000) + "\"");

  enum Endpoint {
    CREATE_ORCHESTRATION(HttpMethod.POST, "/orchestrations"),
    UPDATE_ORCHESTRATION(HttpMethod.PUT, "/orchestrations/%s"),
    CREATE_FUNCTION(HttpMethod.POST, "/functions"),
    UPDATE_FUNCTION(HttpMethod.PUT, "/functions/%s");

    final HttpMethod method;
    final String path;

    Endpoint(HttpMethod method, String path) {
      this.method = method;
      this.path = path;
    }

    boolean orchestration() {
      return this == CREATE_ORCHESTRATION || this == UPDATE_ORCHESTRATION;
    }
  }

  private static TestApp app;

  @BeforeAll
  static void startApp(TestApp shared) {
    app = shared;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Endpoint.class)
  @DisplayName("75 seeded random malformed writes per endpoint answer 4xx JSON errors, never 5xx, and change nothing")
  void fuzz(Endpoint endpoint) {
    Random random = new Random(SEED + endpoint.ordinal());
    exercise(endpoint, "seed " + (SEED + endpoint.ordinal()), base -> {
      List<Mutation> mutations = new ArrayList<>();
      for (int i = 0; i < CASES_PER_ENDPOINT; i++) {
        mutations.add(mutate(random, base));
      }
      return mutations;
    });
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Endpoint.class)
  @DisplayName("every odd number and string token at every kind of stored field answers 4xx or a clean success")
  void nastyTokens(Endpoint endpoint) {
    exercise(endpoint, "nasty tokens", base -> {
      List<Mutation> mutations = new ArrayList<>();
      for (String[] slot : endpoint.orchestration() ? ORCHESTRATION_SLOTS : FUNCTION_SLOTS) {
        for (String token : RAW_TOKENS) {
          JsonObject tree = base.copy();
          placeAt(tree, slot[0], slot[1], RAW + "0@@");
          mutations.add(new Mutation(slot[0] + "." + slot[1] + " = " + abbreviate(token),
            Buffer.buffer(render(tree, List.of(token)))));
        }
      }
      return mutations;
    });
  }

  /** Fields where odd tokens go: a parent (dotted, with [i] indexes; "" for the body) and a key. */
  private static final String[][] ORCHESTRATION_SLOTS = {{"", "slug"}, {"", "name"}, {"", "description"},
    {"", "extra"}, {"trigger", "cronExpression"}, {"trigger", "extra"}, {"steps[0]", "name"},
    {"steps[0]", "timeoutMs"}, {"steps[0]", "extra"}, {"steps[1].cases[0].conditions[0]", "value"},
    {"steps[2]", "delayMs"}};
  private static final String[][] FUNCTION_SLOTS = {{"", "name"}, {"", "description"}, {"", "url"}, {"", "extra"},
    {"", "timeoutMs"}, {"headers", "X-Api-Key"}, {"headers", "X-Other"}};

  private static void placeAt(JsonObject tree, String parent, String key, Object value) {
    Object node = tree;
    for (String part : parent.isEmpty() ? new String[0] : parent.split("\\.")) {
      int bracket = part.indexOf('[');
      String name = bracket < 0 ? part : part.substring(0, bracket);
      node = ((JsonObject) node).getValue(name);
      if (bracket >= 0) {
        node = ((JsonArray) node).getValue(Integer.parseInt(part.substring(bracket + 1, part.length() - 1)));
      }
    }
    ((JsonObject) node).put(key, value);
  }

  /**
   * Sends every mutation of the endpoint's base body to the endpoint; asserts each answer, then that the stored
   * orchestration, function and list totals changed only by the writes that legitimately succeeded.
   */
  private void exercise(Endpoint endpoint, String label, Function<JsonObject, List<Mutation>> mutations) {
    ApiClient client = app.client(TestApp.randomWorkspace());
    String functionId = createFunction(client, "fuzz-fn");
    Reply created = client.post("/orchestrations", orchestrationBody(functionId));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String orchestrationId = created.json().getString("id");
    String orchestrationPath = "/orchestrations/" + orchestrationId;
    String functionPath = "/functions/" + functionId;

    JsonObject expectedOrchestration = client.get(orchestrationPath).json();
    JsonObject expectedFunction = client.get(functionPath).json();
    long orchestrationTotal = total(client, "/orchestrations");
    long functionTotal = total(client, "/functions");
    int orchestrationUpdates = 0;

    JsonObject base = endpoint.orchestration() ? orchestrationBody(functionId) : functionBody("fuzz-base");
    String path = endpoint.path.contains("%s")
      ? String.format(endpoint.path, endpoint.orchestration() ? orchestrationId : functionId) : endpoint.path;
    List<String> failures = new ArrayList<>();
    Map<Integer, Integer> statuses = new LinkedHashMap<>();
    List<String> accepted = new ArrayList<>();

    List<Mutation> cases = mutations.apply(base);
    for (int i = 0; i < cases.size(); i++) {
      Mutation mutation = cases.get(i);
      Reply reply = client.send(endpoint.method, path, mutation.body,
        MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json"));
      statuses.merge(reply.status(), 1, Integer::sum);
      String problem = judge(reply);
      if (problem != null) {
        failures.add("#" + i + " " + mutation.description + " → " + reply.status() + " " + problem + ": "
          + abbreviate(reply.body()));
        continue;
      }
      if (reply.status() < 300) {
        // a mutation that is still a valid body: track what it legitimately changed
        accepted.add(mutation.description);
        switch (endpoint) {
          case CREATE_ORCHESTRATION -> orchestrationTotal++;
          case CREATE_FUNCTION -> functionTotal++;
          case UPDATE_ORCHESTRATION -> {
            orchestrationUpdates++;
            expectedOrchestration = readable(client, orchestrationPath, failures, i);
          }
          case UPDATE_FUNCTION -> expectedFunction = readable(client, functionPath, failures, i);
          default -> throw new IllegalStateException();
        }
      }
    }

    System.out.println(label + " " + endpoint + ": " + cases.size() + " requests, statuses " + statuses
      + "\n  accepted: " + String.join("\n  accepted: ", accepted));
    assertThat(failures).as("requests answered wrongly (%s)", label).isEmpty();
    JsonObject orchestrationAfter = client.get(orchestrationPath).json();
    assertThat(orchestrationAfter).isEqualTo(expectedOrchestration);
    assertThat(orchestrationAfter.getInteger("version")).isEqualTo(1 + orchestrationUpdates);
    assertThat(client.get(functionPath).json()).isEqualTo(expectedFunction);
    assertThat(total(client, "/orchestrations")).isEqualTo(orchestrationTotal);
    assertThat(total(client, "/functions")).isEqualTo(functionTotal);
  }

  /** Why the reply is unacceptable, or null: a 2xx, or a 4xx with a JSON error body. */
  private static String judge(Reply reply) {
    int status = reply.status();
    if (status == 200 || status == 201) {
      return null;
    }
    if (status < 400 || status >= 500) {
      return "not a 4xx";
    }
    String type = reply.header("Content-Type");
    if (type == null || !type.startsWith("application/json")) {
      return "Content-Type " + type;
    }
    try {
      JsonObject body = reply.json();
      if (!(body.getValue("error") instanceof String e) || e.isBlank()
        || !(body.getValue("message") instanceof String m) || m.isBlank()) {
        return "no error/message";
      }
    } catch (RuntimeException e) {
      return "body is not a JSON object";
    }
    return null;
  }

  private static JsonObject readable(ApiClient client, String path, List<String> failures, int index) {
    Reply reply = client.get(path);
    if (reply.status() != 200) {
      failures.add("#" + index + " accepted, then GET " + path + " → " + reply.status() + ": "
        + abbreviate(reply.body()));
      return null;
    }
    return reply.json();
  }

  private static long total(ApiClient client, String path) {
    Reply reply = client.get(path);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json().getJsonObject("meta").getLong("total");
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "<no body>";
    }
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }

  /** A valid create body touching every step type, a retry policy, two condition kinds and a cron trigger. */
  static JsonObject orchestrationBody(String functionId) {
    JsonArray steps = new JsonArray()
      .add(computeStep("validate", functionId, "check").put("timeoutMs", 30000)
        .put("retry", new JsonObject().put("maxAttempts", 3).put("backoffMs", 500).put("backoffMultiplier", 2)))
      .add(new JsonObject().put("id", "check").put("type", "decision")
        .put("cases", new JsonArray()
          .add(new JsonObject().put("conditions", new JsonArray()
              .add(new JsonObject().put("path", "steps.validate.output.ok").put("op", "eq").put("value", true))
              .add(new JsonObject().put("path", "input.amount").put("op", "gt").put("value", 100)))
            .put("nextStepId", "wait"))
          .add(new JsonObject().put("conditions", new JsonArray()
              .add(new JsonObject().put("path", "input.tier").put("op", "in")
                .put("value", new JsonArray().add("gold").add("silver"))))
            .put("nextStepId", "finish")))
        .put("defaultNextStepId", "finish"))
      .add(new JsonObject().put("id", "wait").put("name", "Wait").put("type", "delay").put("delayMs", 60000)
        .put("nextStepId", "finish"))
      .add(computeStep("finish", functionId, null));
    return new JsonObject().put("slug", "fuzz-base").put("name", "Fuzz base").put("description", "seed")
      .put("isActive", true)
      .put("trigger", new JsonObject().put("type", "scheduled").put("scheduleType", "cron")
        .put("cronExpression", "*/5 * * * *").put("timezone", "Europe/Berlin"))
      .put("steps", steps);
  }

  // ---- mutations ----

  private record Mutation(String description, Buffer body) {
  }

  private record Slot(Object parent, Object key) {

    Object get() {
      return parent instanceof JsonObject o ? o.getValue((String) key) : ((JsonArray) parent).getValue((int) key);
    }

    void set(Object value) {
      if (parent instanceof JsonObject o) {
        o.put((String) key, value);
      } else {
        ((JsonArray) parent).set((int) key, value);
      }
    }

    void remove() {
      if (parent instanceof JsonObject o) {
        o.remove((String) key);
      } else {
        ((JsonArray) parent).remove((int) key);
      }
    }

    String path() {
      return key instanceof Integer ? "[" + key + "]" : "." + key;
    }
  }

  static Mutation mutate(Random random, JsonObject base) {
    JsonObject tree = base.copy();
    List<String> raws = new ArrayList<>();
    int kind = random.nextInt(10);
    String description;
    switch (kind) {
      case 0, 1, 2 -> description = "replace " + replace(random, tree, raws);
      case 3 -> description = "remove " + remove(random, tree);
      case 4 -> description = "extra field " + extra(random, tree, raws);
      case 5 -> {
        int count = 2 + random.nextInt(4);
        StringBuilder sb = new StringBuilder("multi");
        for (int i = 0; i < count; i++) {
          sb.append(random.nextBoolean() ? " replace " + replace(random, tree, raws) : " remove " + remove(random,
            tree));
        }
        description = sb.toString();
      }
      case 6 -> {
        String text = render(tree, raws);
        int cut = 1 + random.nextInt(text.length() - 1);
        return new Mutation("truncated at " + cut, Buffer.buffer(text.substring(0, cut)));
      }
      case 7 -> {
        byte[] bytes = new byte[1 + random.nextInt(2000)];
        random.nextBytes(bytes);
        return new Mutation("binary garbage of " + bytes.length + " bytes", Buffer.buffer(bytes));
      }
      case 8 -> {
        String whole = wholeBody(random);
        return new Mutation("whole body " + abbreviate(whole).substring(0, Math.min(40, whole.length())),
          Buffer.buffer(whole));
      }
      default -> {
        Slot slot = pick(random, slots(tree));
        String nested = deep(random);
        slot.set(RAW + raws.size() + "@@");
        raws.add(nested);
        description = "deep nesting at " + slot.path() + " (" + nested.length() + " chars)";
      }
    }
    return new Mutation(description, Buffer.buffer(render(tree, raws)));
  }

  private static String replace(Random random, JsonObject tree, List<String> raws) {
    Slot slot = pick(random, slots(tree));
    Object before = slot.get();
    Object value = weird(random, raws);
    slot.set(value);
    return slot.path() + " (" + typeName(before) + ") with " + describe(value, raws);
  }

  private static String remove(Random random, JsonObject tree) {
    Slot slot = pick(random, slots(tree));
    slot.remove();
    return slot.path();
  }

  private static String extra(Random random, JsonObject tree, List<String> raws) {
    List<JsonObject> objects = new ArrayList<>();
    objects.add(tree);
    for (Slot slot : slots(tree)) {
      if (slot.get() instanceof JsonObject o) {
        objects.add(o);
      }
    }
    JsonObject target = objects.get(random.nextInt(objects.size()));
    String[] names = {"extra", "$context", "__proto__", "constructor", "id", "ÿ", "💥", "", "a.b", "steps[0]",
      "x".repeat(1000)};
    String name = names[random.nextInt(names.length)];
    Object value = weird(random, raws);
    target.put(name, value);
    return abbreviate(name) + " = " + describe(value, raws);
  }

  /** Every (parent, key) position in the tree, depth first. */
  private static List<Slot> slots(Object node) {
    List<Slot> out = new ArrayList<>();
    if (node instanceof JsonObject o) {
      for (String key : new ArrayList<>(o.fieldNames())) {
        out.add(new Slot(o, key));
        out.addAll(slots(o.getValue(key)));
      }
    } else if (node instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        out.add(new Slot(a, i));
        out.addAll(slots(a.getValue(i)));
      }
    }
    return out;
  }

  private static <T> T pick(Random random, List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  /** A value of a random, usually wrong, type; raw tokens go in as placeholders replaced after rendering. */
  private static Object weird(Random random, List<String> raws) {
    return switch (random.nextInt(22)) {
      case 0 -> null;
      case 1 -> true;
      case 2 -> 0;
      case 3 -> -1;
      case 4 -> Long.MIN_VALUE;
      case 5 -> -2_147_483_649L;
      case 6 -> 1.5;
      case 7 -> "";
      case 8 -> "   ";
      case 9 -> "x".repeat(100_000);
      case 10 -> "💥 ünïcödé ‮RTL‬ 漢字 \t";
      case 11 -> "'; DROP TABLE orchestrations; --";
      case 12 -> "%s%n${jndi:ldap://x}";
      case 13 -> new JsonArray();
      case 14 -> new JsonObject();
      case 15 -> new JsonArray().add(1).add("a").addNull().add(new JsonObject().put("k", false));
      case 16 -> new JsonObject().put("type", "compute").put("id", "x");
      case 17 -> "input.amount";
      case 18 -> random.nextInt();
      default -> {
        String token = pick(random, RAW_TOKENS);
        raws.add(token);
        yield RAW + (raws.size() - 1) + "@@";
      }
    };
  }

  private static String deep(Random random) {
    int depth = pick(random, List.of(999, 1001, 2000, 2000, 5000));
    return random.nextBoolean() ? "[".repeat(depth) + "]".repeat(depth)
      : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
  }

  private static String wholeBody(Random random) {
    return switch (random.nextInt(8)) {
      case 0 -> "null";
      case 1 -> "[" + "{}".repeat(1) + "]";
      case 2 -> "\"" + "y".repeat(100_000) + "\"";
      case 3 -> "1e309";
      case 4 -> "{}";
      case 5 -> "{\"a\":".repeat(2000) + "{}" + "}".repeat(2000);
      case 6 -> "[".repeat(2000) + "]".repeat(2000);
      default -> "\uFEFF{\"name\":\"bom\"}";
    };
  }

  private static String render(JsonObject tree, List<String> raws) {
    String text = tree.encode();
    for (int i = 0; i < raws.size(); i++) {
      text = text.replace("\"" + RAW + i + "@@\"", raws.get(i));
    }
    return text;
  }

  private static String describe(Object value, List<String> raws) {
    if (value instanceof String s && s.startsWith(RAW)) {
      int index = Integer.parseInt(s.substring(RAW.length(), s.length() - 2));
      return "raw " + abbreviate(raws.get(index));
    }
    String text = String.valueOf(value);
    return typeName(value) + " " + (text.length() > 40 ? text.substring(0, 40) + "…(" + text.length() + ")" : text);
  }

  private static String typeName(Object value) {
    return value == null ? "null" : value.getClass().getSimpleName();
  }
}
