package io.orchestrator.triggers.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SignatureSchemeTest {

  @DisplayName("round-trips each scheme through its wire name and rejects unknown names")
  @Test
  void wireNames() {
    assertThat(SignatureScheme.fromWire("stripe")).contains(SignatureScheme.STRIPE);
    assertThat(SignatureScheme.fromWire("standard-webhooks")).contains(SignatureScheme.STANDARD_WEBHOOKS);
    assertThat(SignatureScheme.fromWire("STRIPE")).isEmpty();
    assertThat(SignatureScheme.fromWire(null)).isEmpty();
    for (SignatureScheme scheme : SignatureScheme.values()) {
      assertThat(SignatureScheme.fromWire(scheme.wireName())).contains(scheme);
    }
  }
}
