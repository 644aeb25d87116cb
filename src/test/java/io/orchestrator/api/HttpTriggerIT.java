package io.orchestrator.api;

import static io.orchestrator.api.ApiTestSupport.assertError;
import static io.orchestrator.api.WebhookSupport.createWithTrigger;
import static io.orchestrator.api.WebhookSupport.deliver;
import static io.orchestrator.api.WebhookSupport.run;
import static io.orchestrator.api.WebhookSupport.runCount;
import static io.orchestrator.api.WebhookSupport.signedTrigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.common.crypto.WebhookSecrets;
import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.SharedApp;
import io.orchestrator.fixtures.TestApp;
import io.orchestrator.triggers.http.TestSigners;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The public http-trigger endpoint end to end: routing, signatures, rotation, dedupe, bodies, rejections. */
@SharedApp.Config("ORCH_ROLES=api")
class HttpTriggerIT {

  private static final String STRIPE_PATH = "/webhooks/stripe";

  private static TestApp app;
  private ApiClient client;
  private String secret;

  @BeforeAll
  static void start(TestApp shared) {
    app = shared;
  }

  @BeforeEach
  void workspace() {
    client = app.client(TestApp.randomWorkspace());
    secret = WebhookSecrets.generate();
  }

  private static long now() {
    return Instant.now().getEpochSecond();
  }

  private static Buffer stripeEvent(String eventId) {
    return new JsonObject().put("id", eventId).put("object", "event").put("type", "payment_intent.succeeded")
      .put("data", new JsonObject().put("object", new JsonObject().put("id", "pi_1").put("amount", 1000)))
      .toBuffer();
  }

  private Reply deliverStripe(String path, Buffer body, String signingSecret, long timestamp) {
    return deliver(app, client.workspace, path, body, TestSigners.stripe(signingSecret, body.getBytes(), timestamp));
  }

  @Test
  @DisplayName("a Stripe-signed delivery without any JWT answers 202 {runId} and starts an http-trigger run")
  void stripeSignedDeliveryStartsRun() {
    createWithTrigger(client, "stripe-hook", signedTrigger(STRIPE_PATH, null, secret));

    Reply reply = deliverStripe(STRIPE_PATH, stripeEvent("evt_valid_1"), secret, now());

    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    assertThat(reply.json().fieldNames()).containsExactly("runId");
    JsonObject run = run(client, "stripe-hook", reply.json().getString("runId"));
    assertThat(run.getString("triggerType")).isEqualTo("http-trigger");
    assertThat(run.getString("status")).isEqualTo("pending");
    assertThat(run.getJsonObject("triggerMetadata"))
      .isEqualTo(new JsonObject().put("path", STRIPE_PATH).put("eventId", "evt_valid_1"));
    JsonObject input = run.getJsonObject("input");
    assertThat(input.getString("method")).isEqualTo("POST");
    assertThat(input.getString("path")).isEqualTo(STRIPE_PATH);
    assertThat(input.getJsonObject("body")).isEqualTo(stripeEvent("evt_valid_1").toJsonObject());
    assertThat(input.getJsonObject("headers").getString("stripe-signature")).startsWith("t=");
    assertThat(runCount(client, "stripe-hook")).isEqualTo(1);
  }

  @Test
  @DisplayName("a Standard-Webhooks-signed delivery answers 202 and records webhook-id as the event id")
  void standardWebhooksDeliveryStartsRun() {
    createWithTrigger(client, "std-hook", signedTrigger("/std", "standard-webhooks", secret));
    Buffer body = Buffer.buffer("{\"type\":\"user.created\",\"data\":{\"id\":42}}");

    Reply reply = deliver(app, client.workspace, "/std", body,
      TestSigners.standardWebhooks(secret, "msg_2xyz", body.getBytes(), now()));

    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    JsonObject run = run(client, "std-hook", reply.json().getString("runId"));
    assertThat(run.getJsonObject("triggerMetadata").getString("eventId")).isEqualTo("msg_2xyz");
    assertThat(run.getJsonObject("input").getJsonObject("body").getJsonObject("data").getInteger("id"))
      .isEqualTo(42);
  }

  @Test
  @DisplayName("a signed delivery whose timestamp is more than 300 s old answers 401 invalid_signature")
  void staleTimestampIsRejected() {
    createWithTrigger(client, "stale", signedTrigger(STRIPE_PATH, null, secret));

    Reply reply = deliverStripe(STRIPE_PATH, stripeEvent("evt_old"), secret, now() - 301);

    assertError(reply, 401, "invalid_signature");
    assertThat(reply.header("WWW-Authenticate")).as("not a Bearer challenge").isNull();
    assertThat(runCount(client, "stale")).isZero();
  }

  @Test
  @DisplayName("a missing signature, a wrong secret or a body changed after signing answer 401 and start nothing")
  void badSignaturesAreRejected() {
    createWithTrigger(client, "bad-sigs", signedTrigger(STRIPE_PATH, null, secret));
    Buffer body = stripeEvent("evt_bad");
    MultiMap signedForOther = TestSigners.stripe(secret, stripeEvent("evt_other").getBytes(), now());

    assertError(deliver(app, client.workspace, STRIPE_PATH, body, MultiMap.caseInsensitiveMultiMap()),
      401, "invalid_signature");
    assertError(deliverStripe(STRIPE_PATH, body, WebhookSecrets.generate(), now()), 401, "invalid_signature");
    assertError(deliver(app, client.workspace, STRIPE_PATH, body, signedForOther), 401, "invalid_signature");
    assertError(deliver(app, client.workspace, STRIPE_PATH, body,
      TestSigners.standardWebhooks(secret, "msg_1", body.getBytes(), now())), 401, "invalid_signature");
    assertThat(runCount(client, "bad-sigs")).isZero();
  }

  @Test
  @DisplayName("a Standard Webhooks trigger read with GET and sent back unchanged in a PUT keeps its secret")
  void standardWebhooksGetBodyRoundTrips() {
    createWithTrigger(client, "std-round", signedTrigger("/std-round", "standard-webhooks", secret));
    Reply read = client.get("/orchestrations/std-round");
    assertThat(read.json().getJsonObject("trigger").getString("signingSecret")).contains("********");

    Reply put = client.send(HttpMethod.PUT, "/orchestrations/std-round", read.json(),
      MultiMap.caseInsensitiveMultiMap().add("If-Match", read.header("ETag")));

    assertThat(put.status()).as(put.body()).isEqualTo(200);
    Buffer body = Buffer.buffer("{\"type\":\"user.created\"}");
    assertThat(deliver(app, client.workspace, "/std-round", body,
      TestSigners.standardWebhooks(secret, "msg_round", body.getBytes(), now())).status()).isEqualTo(202);
  }

  @Test
  @DisplayName("after PUT replaces the signing secret, the new and the previous secret verify, a random one does not")
  void rotatedSecretStaysValid() {
    JsonObject created = createWithTrigger(client, "rotating", signedTrigger(STRIPE_PATH, null, secret));
    String newSecret = WebhookSecrets.generate();
    JsonObject update = new JsonObject().put("name", created.getString("name"))
      .put("trigger", signedTrigger(STRIPE_PATH, null, newSecret)).put("steps", created.getJsonArray("steps"));
    Reply put = client.put("/orchestrations/rotating", update);
    assertThat(put.status()).as(put.body()).isEqualTo(200);

    assertThat(deliverStripe(STRIPE_PATH, stripeEvent("evt_new"), newSecret, now()).status()).isEqualTo(202);
    assertThat(deliverStripe(STRIPE_PATH, stripeEvent("evt_old"), secret, now()).status()).isEqualTo(202);
    assertError(deliverStripe(STRIPE_PATH, stripeEvent("evt_random"), WebhookSecrets.generate(), now()),
      401, "invalid_signature");
    assertThat(runCount(client, "rotating")).isEqualTo(2);
  }

  @Test
  @DisplayName("the same Stripe event delivered twice answers 200 with the first run's id and starts one run")
  void redeliveredStripeEventIsDeduplicated() {
    createWithTrigger(client, "dedupe", signedTrigger(STRIPE_PATH, null, secret));

    Reply first = deliverStripe(STRIPE_PATH, stripeEvent("evt_dup"), secret, now());
    Reply second = deliverStripe(STRIPE_PATH, stripeEvent("evt_dup"), secret, now());

    assertThat(first.status()).as(first.body()).isEqualTo(202);
    assertThat(second.status()).as(second.body()).isEqualTo(200);
    assertThat(second.json().getString("runId")).isEqualTo(first.json().getString("runId"));
    assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(runCount(client, "dedupe")).isEqualTo(1);
  }

  @Test
  @DisplayName("a Standard Webhooks message redelivered with the same webhook-id starts one run")
  void redeliveredStandardWebhookIsDeduplicated() {
    createWithTrigger(client, "std-dedupe", signedTrigger("/std", "standard-webhooks", secret));
    Buffer body = Buffer.buffer("{\"type\":\"ping\"}");

    Reply first = deliver(app, client.workspace, "/std", body,
      TestSigners.standardWebhooks(secret, "msg_same", body.getBytes(), now()));
    Reply second = deliver(app, client.workspace, "/std", body,
      TestSigners.standardWebhooks(secret, "msg_same", body.getBytes(), now()));

    assertThat(first.status()).isEqualTo(202);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.json().getString("runId")).isEqualTo(first.json().getString("runId"));
    assertThat(runCount(client, "std-dedupe")).isEqualTo(1);
  }

  @Test
  @DisplayName("concurrent deliveries of one event start exactly one run; every answer carries its id")
  void concurrentRedeliveriesStartOneRun() {
    createWithTrigger(client, "racing", signedTrigger(STRIPE_PATH, null, secret));
    Buffer body = stripeEvent("evt_race");
    MultiMap headers = TestSigners.stripe(secret, body.getBytes(), now());
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sent.add(app.http.post(ApiClient.BASE + client.workspace + "/http-triggers" + STRIPE_PATH)
        .putHeaders(headers).putHeader("Content-Type", "application/json").sendBuffer(body));
    }

    List<HttpResponse<Buffer>> replies = TestApp.await(Future.all(sent)).list();

    assertThat(replies).extracting(HttpResponse::statusCode).containsOnly(202, 200)
      .filteredOn(status -> status == 202).hasSize(1);
    Set<String> runIds = replies.stream().map(r -> r.bodyAsJsonObject().getString("runId"))
      .collect(Collectors.toSet());
    assertThat(runIds).hasSize(1);
    assertThat(runCount(client, "racing")).isEqualTo(1);
  }

  @Test
  @DisplayName("an unsigned trigger accepts any delivery and never deduplicates on a claimed event id")
  void unsignedTriggerAcceptsWithoutSignature() {
    createWithTrigger(client, "open", ApiTestSupport.httpTrigger("/open"));

    Reply first = deliver(app, client.workspace, "/open", stripeEvent("evt_same"), MultiMap.caseInsensitiveMultiMap());
    Reply second = deliver(app, client.workspace, "/open", stripeEvent("evt_same"), MultiMap.caseInsensitiveMultiMap());

    assertThat(first.status()).as(first.body()).isEqualTo(202);
    assertThat(second.status()).as(second.body()).isEqualTo(202);
    assertThat(second.json().getString("runId")).isNotEqualTo(first.json().getString("runId"));
    assertThat(run(client, "open", first.json().getString("runId")).getJsonObject("triggerMetadata"))
      .isEqualTo(new JsonObject().put("path", "/open"));
    assertThat(runCount(client, "open")).isEqualTo(2);
  }

  @Test
  @DisplayName("trigger paths of one and of several segments are both routed, a trailing slash tolerated")
  void pathsOfAnyDepthAreRouted() {
    createWithTrigger(client, "one-seg", ApiTestSupport.httpTrigger("/hook"));
    createWithTrigger(client, "deep", ApiTestSupport.httpTrigger("/a/b/c.d/e_f~g"));
    Buffer body = Buffer.buffer("{}");
    MultiMap none = MultiMap.caseInsensitiveMultiMap();

    assertThat(deliver(app, client.workspace, "/hook", body, none).status()).isEqualTo(202);
    assertThat(deliver(app, client.workspace, "/a/b/c.d/e_f~g", body, none).status()).isEqualTo(202);
    assertThat(deliver(app, client.workspace, "/a/b/c.d/e_f~g/", body, none).status()).isEqualTo(202);
    assertThat(runCount(client, "one-seg")).isEqualTo(1);
    assertThat(runCount(client, "deep")).isEqualTo(2);
  }

  @Test
  @DisplayName("an unknown workspace, an unknown path and a prefix of a path all answer the same 404")
  void unknownWorkspaceOrPathAnswers404() {
    createWithTrigger(client, "known", signedTrigger(STRIPE_PATH, null, secret));
    Buffer body = stripeEvent("evt_404");
    MultiMap headers = TestSigners.stripe(secret, body.getBytes(), now());

    Reply wrongWorkspace = deliver(app, TestApp.randomWorkspace(), STRIPE_PATH, body, headers);
    Reply wrongPath = deliver(app, client.workspace, "/webhooks/other", body, headers);
    Reply prefix = deliver(app, client.workspace, "/webhooks", body, headers);

    JsonObject expected = assertError(wrongWorkspace, 404, "not_found");
    assertThat(assertError(wrongPath, 404, "not_found")).isEqualTo(expected);
    assertThat(assertError(prefix, 404, "not_found")).isEqualTo(expected);
    assertThat(runCount(client, "known")).isZero();
  }

  @Test
  @DisplayName("an inactive or deleted orchestration's trigger answers the same 404 as an unknown path")
  void inactiveOrDeletedAnswers404() {
    JsonObject created = createWithTrigger(client, "paused", signedTrigger(STRIPE_PATH, null, secret));
    JsonObject update = new JsonObject().put("name", created.getString("name")).put("isActive", false)
      .put("trigger", signedTrigger(STRIPE_PATH, null, secret)).put("steps", created.getJsonArray("steps"));
    assertThat(client.put("/orchestrations/paused", update).status()).isEqualTo(200);
    createWithTrigger(client, "gone", ApiTestSupport.httpTrigger("/gone"));
    assertThat(client.delete("/orchestrations/gone").status()).isEqualTo(204);

    JsonObject inactive = assertError(deliverStripe(STRIPE_PATH, stripeEvent("evt_i"), secret, now()),
      404, "not_found");
    JsonObject deleted = assertError(deliver(app, client.workspace, "/gone", Buffer.buffer("{}"),
      MultiMap.caseInsensitiveMultiMap()), 404, "not_found");
    JsonObject unknown = assertError(deliver(app, client.workspace, "/never", Buffer.buffer("{}"),
      MultiMap.caseInsensitiveMultiMap()), 404, "not_found");

    assertThat(inactive).isEqualTo(unknown);
    assertThat(deleted).isEqualTo(unknown);
    assertThat(runCount(client, "paused")).isZero();
  }

  @Test
  @DisplayName("a body over 1 MiB answers 413 payload_too_large as JSON and starts nothing")
  void oversizedBodyAnswers413() {
    createWithTrigger(client, "big", ApiTestSupport.httpTrigger("/big"));
    Buffer body = Buffer.buffer("x".repeat(1024 * 1024 + 1));

    Reply reply = deliver(app, client.workspace, "/big", body,
      MultiMap.caseInsensitiveMultiMap().add("Content-Type", "text/plain"));

    assertError(reply, 413, "payload_too_large");
    assertThat(runCount(client, "big")).isZero();
  }

  @Test
  @DisplayName("non-JSON bodies, and JSON-typed bodies that do not parse, are kept as UTF-8 strings")
  void nonJsonBodiesAreKeptAsStrings() {
    createWithTrigger(client, "texts", ApiTestSupport.httpTrigger("/texts"));

    assertThat(bodyOf("/texts", "a=1&b=caf%C3%A9", "application/x-www-form-urlencoded")).isEqualTo("a=1&b=caf%C3%A9");
    assertThat(bodyOf("/texts", "<ping>café ☃</ping>", "application/xml")).isEqualTo("<ping>café ☃</ping>");
    assertThat(bodyOf("/texts", "{\"a\":1}", "text/plain")).isEqualTo("{\"a\":1}");
    assertThat(bodyOf("/texts", "{not json", "application/json")).isEqualTo("{not json");
    assertThat(bodyOf("/texts", "", "application/json")).isEqualTo("");
    assertThat(runCount(client, "texts")).isEqualTo(5);
  }

  @Test
  @DisplayName("JSON bodies (application/json, +json, with a charset) become JSON values of input.body")
  void jsonBodiesAreParsed() {
    createWithTrigger(client, "jsons", ApiTestSupport.httpTrigger("/jsons"));

    assertThat(bodyOf("/jsons", "{\"a\":[1,2]}", "application/json; charset=utf-8"))
      .isEqualTo(new JsonObject().put("a", new JsonArray().add(1).add(2)));
    assertThat(bodyOf("/jsons", "[1,\"two\"]", "application/cloudevents+json"))
      .isEqualTo(new JsonArray().add(1).add("two"));
    assertThat(bodyOf("/jsons", "42", "application/json")).isEqualTo(42);
  }

  private Object bodyOf(String path, String text, String contentType) {
    Reply reply = deliver(app, client.workspace, path, Buffer.buffer(text.getBytes(StandardCharsets.UTF_8)),
      MultiMap.caseInsensitiveMultiMap().add("Content-Type", contentType));
    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    String slug = path.substring(1);
    return run(client, slug, reply.json().getString("runId")).getJsonObject("input").getValue("body");
  }

  @Test
  @DisplayName("input carries the query (repeats as arrays) and lower-cased headers without credentials")
  void inputCarriesQueryAndHeaders() {
    createWithTrigger(client, "echo", ApiTestSupport.httpTrigger("/echo"));
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-Custom-Header", "v1").add("X-Multi", "a")
      .add("X-Multi", "b").add("Authorization", "Bearer not-a-jwt").add("Cookie", "session=1");

    Reply reply = deliver(app, client.workspace, "/echo?tag=a&tag=b&q=hello%20world&empty=", Buffer.buffer("{}"),
      headers);

    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    JsonObject input = run(client, "echo", reply.json().getString("runId")).getJsonObject("input");
    assertThat(input.getString("path")).isEqualTo("/echo");
    assertThat(input.getJsonObject("query")).isEqualTo(new JsonObject()
      .put("tag", new JsonArray().add("a").add("b")).put("q", "hello world").put("empty", ""));
    JsonObject sentHeaders = input.getJsonObject("headers");
    assertThat(sentHeaders.getString("x-custom-header")).isEqualTo("v1");
    assertThat(sentHeaders.getJsonArray("x-multi")).isEqualTo(new JsonArray().add("a").add("b"));
    assertThat(sentHeaders.getString("content-type")).isEqualTo("application/json");
    assertThat(sentHeaders.fieldNames()).allMatch(name -> name.equals(name.toLowerCase()))
      .doesNotContain("authorization", "cookie");
  }

  @Test
  @DisplayName("only POST is served on the endpoint: GET answers 405 as JSON")
  void getIsNotAllowed() {
    createWithTrigger(client, "posts", ApiTestSupport.httpTrigger("/posts/only"));

    Reply reply = new ApiClient(app.http, client.workspace, null).get("/http-triggers/posts/only");

    assertThat(reply.status()).as(reply.body()).isEqualTo(405);
    ApiTestSupport.assertJsonError(reply);
    assertThat(reply.header("Allow")).isEqualTo("POST");
  }

  @Test
  @DisplayName("the public endpoint without a trigger path answers 404 not_found, not 401")
  void endpointWithoutPathIsNotFound() {
    ApiClient anonymous = new ApiClient(app.http, client.workspace, null);

    ApiTestSupport.assertError(anonymous.post("/http-triggers", new JsonObject()), 404, "not_found");
    ApiTestSupport.assertError(anonymous.post("/http-triggers/", new JsonObject()), 404, "not_found");
  }
}
