package io.orchestrator.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StripeSignerTest {

  @DisplayName("reproduces a signature made by Stripe's own library")
  @Test
  void matchesStripeLibrary() {
    byte[] body = ("{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"payment_intent.succeeded\","
        + "\"data\":{\"object\":{\"id\":\"pi_1\",\"amount\":1000}}}").getBytes(StandardCharsets.UTF_8);

    assertThat(StripeSigner.header("whsec_test_secret", body, 1795866248L)).isEqualTo(
        "t=1795866248,v1=4ca550309d9dd8f93c19a25a6cccec2755821f1b72ec34edef554bcaaf17a6f9");
  }

  @DisplayName("outgoing header is named X-Orchestration-Signature")
  @Test
  void outgoingHeaderName() {
    assertThat(StripeSigner.OUTGOING_HEADER).isEqualTo("X-Orchestration-Signature");
  }
}
