package io.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Valid request bodies and the assertions every API test shares. */
final class ApiTestSupport {

  static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
  static final Pattern ORCHESTRATION_ID = Pattern.compile("orch_[0-9a-z]{26}");
  static final Pattern FUNCTION_ID = Pattern.compile("func_[0-9a-z]{26}");

  private ApiTestSupport() {
  }

  /** An http function body with one secret header. */
  static JsonObject functionBody(String name) {
    return new JsonObject().put("name", name).put("description", "Function " + name).put("runtime", "http")
      .put("url", "https://functions.example.com/" + name)
      .put("headers", new JsonObject().put("X-Api-Key", "key-of-" + name)).put("timeoutMs", 10000);
  }

  /** Creates an http function and returns its id. */
  static String createFunction(ApiClient client, String name) {
    Reply reply = client.post("/functions", functionBody(name));
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().getString("id");
  }

  /** The smallest valid orchestration: on-demand, one compute step. */
  static JsonObject simpleOrchestration(String slug, String functionId) {
    return new JsonObject().put("slug", slug).put("name", "Name of " + slug)
      .put("trigger", new JsonObject().put("type", "on-demand"))
      .put("steps", new JsonArray().add(computeStep("only", functionId, null)));
  }

  static JsonObject computeStep(String id, String functionId, String next) {
    JsonObject step = new JsonObject().put("id", id).put("name", "Step " + id).put("type", "compute")
      .put("functionId", functionId);
    return next == null ? step : step.put("nextStepId", next);
  }

  /** The create body of the API reference, with real function ids. */
  static JsonObject referenceOrchestration(String slug, String validate, String fulfill, String reject) {
    JsonArray steps = new JsonArray()
      .add(computeStep("validate", validate, "check-result").put("name", "Validate Order").put("timeoutMs", 30000))
      .add(new JsonObject().put("id", "check-result").put("name", "Check Validation").put("type", "decision")
        .put("cases", new JsonArray().add(new JsonObject()
          .put("conditions", new JsonArray().add(new JsonObject()
            .put("path", "steps.validate.output.isValid").put("op", "eq").put("value", true)))
          .put("nextStepId", "fulfill")))
        .put("defaultNextStepId", "reject"))
      .add(computeStep("fulfill", fulfill, null).put("name", "Fulfill Order"))
      .add(computeStep("reject", reject, null).put("name", "Reject Order"));
    return new JsonObject().put("slug", slug).put("name", "Order Processing Workflow")
      .put("description", "Process new orders through validation and fulfillment")
      .put("trigger", new JsonObject().put("type", "event-driven").put("eventType", "record.created")
        .put("structureSlug", "orders"))
      .put("steps", steps);
  }

  static JsonObject httpTrigger(String path) {
    return new JsonObject().put("type", "http-trigger").put("path", path);
  }

  /** Asserts the reference's error body: status, JSON content type, {@code error} code and a message. */
  static JsonObject assertError(Reply reply, int status, String code) {
    assertThat(reply.status()).as("status of %s", reply.body()).isEqualTo(status);
    assertJsonError(reply);
    JsonObject body = reply.json();
    assertThat(body.getString("error")).as(reply.body()).isEqualTo(code);
    return body;
  }

  /** Any error response: application/json with a non-blank {@code error} and {@code message}. */
  static void assertJsonError(Reply reply) {
    assertThat(reply.header("Content-Type")).as("Content-Type of %s", reply.body()).startsWith("application/json");
    JsonObject body = new JsonObject(reply.body());
    assertThat(body.getString("error")).as(reply.body()).isNotBlank();
    assertThat(body.getString("message")).as(reply.body()).isNotBlank();
  }

  /** Fields named in {@code details}, in order. */
  static List<String> detailFields(Reply reply) {
    JsonArray details = reply.json().getJsonArray("details", new JsonArray());
    List<String> fields = new ArrayList<>();
    for (int i = 0; i < details.size(); i++) {
      fields.add(details.getJsonObject(i).getString("field"));
    }
    return fields;
  }

  /** Placeholder for {@link #withRaw}: put it where a raw JSON token should go. */
  static final String RAW = "@@RAW@@";

  /** The body's JSON text with the {@link #RAW} placeholder value replaced by {@code rawToken} as written. */
  static String withRaw(JsonObject body, String rawToken) {
    String text = body.encode();
    assertThat(text).contains("\"" + RAW + "\"");
    return text.replace("\"" + RAW + "\"", rawToken);
  }

  /** Busy-waits (without sleeping) until the wall clock is past {@code timestamp}, so the next write gets a later one. */
  static void clockPast(String timestamp) {
    long after = Instant.parse(timestamp).toEpochMilli();
    while (System.currentTimeMillis() <= after) {
      Thread.onSpinWait();
    }
  }
}
