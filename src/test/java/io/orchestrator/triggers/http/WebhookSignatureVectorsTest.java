package io.orchestrator.triggers.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Cases produced by Stripe's and Standard Webhooks' own libraries; our verdict must equal theirs. */
class WebhookSignatureVectorsTest {

  private static final String RESOURCE = "/vectors/webhook-signatures.json";

  private final SignatureVerifier verifier = SignatureVerifier.create();

  @DisplayName("agrees with the provider's library on every vector, clock pinned at the signing time")
  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("vectors")
  void agreesWithProviderLibrary(String name, SignatureScheme scheme, Function<String, String> headers,
      byte[] body, String secret, long now, boolean valid) {
    VerificationResult result = verifier.verify(scheme, headers, body, List.of(secret), now);

    assertThat(result.valid()).as(result.reason()).isEqualTo(valid);
  }

  static Stream<Arguments> vectors() throws IOException {
    JsonObject file = load();
    Stream<Arguments> stripe = cases(file.getJsonArray("stripe"), "stripe").map(c -> Arguments.of(
        name("stripe", c), SignatureScheme.STRIPE, Headers.of("Stripe-Signature", c.getString("header")),
        body(c), c.getString("secret"), c.getLong("timestamp"), c.getBoolean("valid")));
    Stream<Arguments> standard = cases(file.getJsonArray("standardWebhooks"), "standardWebhooks").map(c -> {
      JsonObject headers = c.getJsonObject("headers");
      return Arguments.of(name("standard-webhooks", c), SignatureScheme.STANDARD_WEBHOOKS,
          Headers.of(headers.getMap()), body(c), c.getString("secret"),
          Long.parseLong(headers.getString("webhook-timestamp")), c.getBoolean("valid"));
    });
    return Stream.concat(stripe, standard);
  }

  @DisplayName("vector file holds both schemes with valid and invalid cases")
  @Test
  void vectorFileIsComplete() throws IOException {
    JsonObject file = load();

    for (String scheme : List.of("stripe", "standardWebhooks")) {
      List<JsonObject> cases = cases(file.getJsonArray(scheme), scheme).toList();
      assertThat(cases).extracting(c -> c.getBoolean("valid")).contains(true, false);
    }
  }

  private static JsonObject load() throws IOException {
    try (InputStream in = WebhookSignatureVectorsTest.class.getResourceAsStream(RESOURCE)) {
      assertThat(in).as(RESOURCE).isNotNull();
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static Stream<JsonObject> cases(JsonArray array, String key) {
    assertThat(array).as(key).isNotNull().isNotEmpty();
    return array.stream().map(JsonObject.class::cast);
  }

  private static String name(String scheme, JsonObject c) {
    return scheme + " " + (c.getBoolean("valid") ? "valid" : "invalid: " + c.getString("why"));
  }

  private static byte[] body(JsonObject c) {
    return c.getString("payload").getBytes(StandardCharsets.UTF_8);
  }
}
