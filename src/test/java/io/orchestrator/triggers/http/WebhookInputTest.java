package io.orchestrator.triggers.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The run input built from a delivery. */
class WebhookInputTest {

  private static InboundWebhook webhook(MultiMap query, MultiMap headers, String contentType, String body) {
    return new InboundWebhook("req-1", "ws", "/hooks/a", "POST", query, headers, contentType,
      body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  private static MultiMap map(String... namesAndValues) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return map;
  }

  @Test
  @DisplayName("input is {method, path, query, headers, body}")
  void shape() {
    JsonObject input = WebhookInput.of(webhook(map("a", "1"), map("X-A", "b"), "application/json", "{\"k\":true}"));

    assertThat(input).isEqualTo(new JsonObject().put("method", "POST").put("path", "/hooks/a")
      .put("query", new JsonObject().put("a", "1")).put("headers", new JsonObject().put("x-a", "b"))
      .put("body", new JsonObject().put("k", true)));
  }

  @Test
  @DisplayName("a repeated query parameter or header becomes an array in arrival order")
  void repeatsBecomeArrays() {
    JsonObject input = WebhookInput.of(webhook(map("t", "1", "t", "2"), map("X-M", "a", "x-m", "b"), null, ""));

    assertThat(input.getJsonObject("query").getJsonArray("t")).isEqualTo(new JsonArray().add("1").add("2"));
    assertThat(input.getJsonObject("headers").getJsonArray("x-m")).isEqualTo(new JsonArray().add("a").add("b"));
  }

  @Test
  @DisplayName("Authorization, Proxy-Authorization and Cookie never reach the run; signature headers do")
  void credentialsAreDropped() {
    MultiMap headers = map("Authorization", "Bearer x", "Proxy-Authorization", "Basic y", "Cookie", "s=1",
      "Stripe-Signature", "t=1,v1=ab", "webhook-id", "msg_1");

    JsonObject sent = WebhookInput.of(webhook(map(), headers, null, "")).getJsonObject("headers");

    assertThat(sent.fieldNames()).containsExactlyInAnyOrder("stripe-signature", "webhook-id");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"application/json", "Application/JSON; charset=utf-8", "application/vnd.api+json",
    "application/cloudevents+json"})
  @DisplayName("JSON content types are parsed")
  void jsonTypesAreParsed(String contentType) {
    assertThat(WebhookInput.body(contentType, "[1,{\"a\":null}]".getBytes(StandardCharsets.UTF_8)))
      .isEqualTo(new JsonArray().add(1).add(new JsonObject().putNull("a")));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "text/json+xml", "application/jsonx"})
  @DisplayName("other content types keep the body as a string, even when it looks like JSON")
  void otherTypesStayText(String contentType) {
    assertThat(WebhookInput.body(contentType, "{\"a\":1}".getBytes(StandardCharsets.UTF_8))).isEqualTo("{\"a\":1}");
  }

  @Test
  @DisplayName("JSON that does not parse, trailing garbage, a blank body or no Content-Type stay strings")
  void unparseableStaysText() {
    assertThat(WebhookInput.body("application/json", "{\"a\":".getBytes(StandardCharsets.UTF_8))).isEqualTo("{\"a\":");
    assertThat(WebhookInput.body("application/json", "{} x".getBytes(StandardCharsets.UTF_8))).isEqualTo("{} x");
    assertThat(WebhookInput.body("application/json", new byte[0])).isEqualTo("");
    assertThat(WebhookInput.body(null, "{}".getBytes(StandardCharsets.UTF_8))).isEqualTo("{}");
  }

  @Test
  @DisplayName("JSON scalars, null included, are kept as JSON values")
  void jsonScalars() {
    assertThat(WebhookInput.body("application/json", "\"s\"".getBytes(StandardCharsets.UTF_8))).isEqualTo("s");
    assertThat(WebhookInput.body("application/json", "null".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(WebhookInput.of(webhook(map(), map(), "application/json", "null")).containsKey("body")).isTrue();
  }

  @Test
  @DisplayName("non-UTF-8 bytes are decoded with replacement characters, never an error")
  void invalidUtf8() {
    Object body = WebhookInput.body("application/octet-stream", new byte[] {(byte) 0xff, 'a'});

    assertThat(body).isEqualTo("\uFFFDa");
  }
}
