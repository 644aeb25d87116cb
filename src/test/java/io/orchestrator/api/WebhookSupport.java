package io.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/** Orchestrations with http-triggers, and unauthenticated deliveries to them. */
final class WebhookSupport {

  static final String ENDPOINT = "/http-triggers";

  private WebhookSupport() {
  }

  /** A signed http-trigger on {@code path}; {@code scheme} null leaves the default (stripe). */
  static JsonObject signedTrigger(String path, String scheme, String secret) {
    JsonObject trigger = ApiTestSupport.httpTrigger(path).put("validateSignature", true).put("signingSecret", secret);
    return scheme == null ? trigger : trigger.put("signatureScheme", scheme);
  }

  /** Creates an orchestration with {@code trigger} and one compute step; returns the create response body. */
  static JsonObject createWithTrigger(ApiClient client, String slug, JsonObject trigger) {
    String functionId = ApiTestSupport.createFunction(client, slug + "-fn");
    JsonObject body = ApiTestSupport.simpleOrchestration(slug, functionId).put("trigger", trigger);
    Reply reply = client.post("/orchestrations", body);
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json();
  }

  /** POSTs {@code body} to the workspace's http-trigger {@code path} without any token. */
  static Reply deliver(TestApp app, String workspace, String path, Buffer body, MultiMap headers) {
    return new ApiClient(app.http, workspace, null).send(HttpMethod.POST, ENDPOINT + path, body, headers);
  }

  /** {@code meta.total} of List Runs. */
  static int runCount(ApiClient client, String slug) {
    Reply reply = client.get("/orchestrations/" + slug + "/runs");
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json().getJsonObject("meta").getInteger("total");
  }

  static JsonObject run(ApiClient client, String slug, String runId) {
    Reply reply = client.get("/orchestrations/" + slug + "/runs/" + runId);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }
}
