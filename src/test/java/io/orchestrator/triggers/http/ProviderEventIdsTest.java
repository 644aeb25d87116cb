package io.orchestrator.triggers.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProviderEventIdsTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @DisplayName("stripe: takes the top-level id of the body, not a nested one")
  @Test
  void stripeTopLevelId() {
    byte[] body = utf8("{\"data\":{\"object\":{\"id\":\"pi_1\"}},\"id\":\"evt_1\"}");

    assertThat(ProviderEventIds.extract(SignatureScheme.STRIPE, Headers.of(), body)).contains("evt_1");
  }

  @DisplayName("stripe: no id for bodies that are not JSON objects or lack a string id")
  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"", "null", "[]", "not json", "{\"id\":42}", "{\"id\":\"\"}", "{\"object\":\"event\"}",
      "{\"data\":{\"id\":\"nested\"}}"})
  void stripeWithoutId(String body) {
    assertThat(ProviderEventIds.extract(SignatureScheme.STRIPE, Headers.of(), utf8(body))).isEmpty();
  }

  @DisplayName("standard-webhooks: takes the webhook-id header and ignores the body")
  @Test
  void standardWebhooksHeader() {
    byte[] body = utf8("{\"id\":\"evt_body\"}");

    assertThat(ProviderEventIds.extract(SignatureScheme.STANDARD_WEBHOOKS, Headers.of("Webhook-Id", "msg_1"), body))
        .contains("msg_1");
    assertThat(ProviderEventIds.extract(SignatureScheme.STANDARD_WEBHOOKS, Headers.of(), body)).isEmpty();
  }
}
