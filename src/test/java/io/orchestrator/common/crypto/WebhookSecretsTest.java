package io.orchestrator.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WebhookSecretsTest {

  @DisplayName("generates whsec_ followed by standard base64 of 32 bytes")
  @Test
  void format() {
    String secret = WebhookSecrets.generate();

    assertThat(secret).matches("whsec_[A-Za-z0-9+/]{43}=");
    assertThat(Base64.getDecoder().decode(secret.substring("whsec_".length()))).hasSize(32);
  }

  @DisplayName("generates a different secret each time")
  @Test
  void unique() {
    assertThat(WebhookSecrets.generate()).isNotEqualTo(WebhookSecrets.generate());
  }
}
