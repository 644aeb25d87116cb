package io.orchestrator.api;

import static io.orchestrator.api.WebhookSupport.createWithTrigger;
import static io.orchestrator.api.WebhookSupport.deliver;
import static io.orchestrator.api.WebhookSupport.runCount;
import static io.orchestrator.api.WebhookSupport.signedTrigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The providers' own test vectors sent through the HTTP endpoint, byte for byte. The vectors were signed at fixed
 * instants, so the service runs on a clock shifted to just after them.
 */
class HttpTriggerVectorsIT {

  private static final String RESOURCE = "/vectors/webhook-signatures.json";
  /** A few seconds after the newest vector: all of them are inside the 300 s tolerance. */
  private static final Instant SIGNED_AROUND = Instant.ofEpochSecond(1_795_866_340L);
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private static TestApp app;
  private static ApiClient client;

  @BeforeAll
  static void start() {
    Clock shifted = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), SIGNED_AROUND));
    app = TestApp.start(Map.of("ORCH_ROLES", "api"), shifted);
    client = app.client(TestApp.randomWorkspace());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @DisplayName("each provider vector is accepted (202, one run) or refused (401, no run) as its library says")
  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("vectors")
  void vectorThroughEndpoint(String name, String scheme, String secret, String payload, MultiMap headers,
                             boolean valid) {
    String slug = "vector-" + SEQUENCE.incrementAndGet();
    createWithTrigger(client, slug, signedTrigger("/vectors/" + slug, scheme, secret));

    Reply reply = deliver(app, client.workspace, "/vectors/" + slug,
      Buffer.buffer(payload.getBytes(StandardCharsets.UTF_8)), headers);

    if (valid) {
      assertThat(reply.status()).as(reply.body()).isEqualTo(202);
      assertThat(runCount(client, slug)).isEqualTo(1);
    } else {
      ApiTestSupport.assertError(reply, 401, "invalid_signature");
      assertThat(runCount(client, slug)).isZero();
    }
  }

  static Stream<Arguments> vectors() throws IOException {
    JsonObject file;
    try (InputStream in = HttpTriggerVectorsIT.class.getResourceAsStream(RESOURCE)) {
      file = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    Stream<Arguments> stripe = file.getJsonArray("stripe").stream().map(JsonObject.class::cast)
      .map(c -> Arguments.of(name("stripe", c), "stripe", c.getString("secret"), c.getString("payload"),
        MultiMap.caseInsensitiveMultiMap().add("Stripe-Signature", c.getString("header")), c.getBoolean("valid")));
    Stream<Arguments> standard = file.getJsonArray("standardWebhooks").stream().map(JsonObject.class::cast)
      .map(c -> {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        c.getJsonObject("headers").forEach(e -> headers.add(e.getKey(), String.valueOf(e.getValue())));
        return Arguments.of(name("standard-webhooks", c), "standard-webhooks", c.getString("secret"),
          c.getString("payload"), headers, c.getBoolean("valid"));
      });
    return Stream.concat(stripe, standard);
  }

  private static String name(String scheme, JsonObject c) {
    return scheme + " " + (c.getBoolean("valid") ? "valid" : "invalid: " + c.getString("why"));
  }
}
