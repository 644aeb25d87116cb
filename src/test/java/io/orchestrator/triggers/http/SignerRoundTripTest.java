package io.orchestrator.triggers.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.common.crypto.StripeSigner;
import io.orchestrator.common.crypto.WebhookSecrets;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The outgoing signer and the inbound verifiers must agree, including on generated secrets. */
class SignerRoundTripTest {

  private static final long NOW = 1_795_866_248L;
  private static final byte[] BODY = "{\"input\":{\"note\":\"café ☃\"}}".getBytes(StandardCharsets.UTF_8);

  private final SignatureVerifier verifier = SignatureVerifier.create();

  @DisplayName("a header from StripeSigner with a generated secret passes the stripe verifier")
  @Test
  void stripeSignerRoundTrip() {
    String secret = WebhookSecrets.generate();
    String header = StripeSigner.header(secret, BODY, NOW);

    VerificationResult result = verifier.verify(SignatureScheme.STRIPE, Headers.of("Stripe-Signature", header),
        BODY, List.of(secret), NOW);
    assertThat(result.valid()).as(result.reason()).isTrue();
    assertThat(header).matches("t=" + NOW + ",v1=[0-9a-f]{64}");
  }

  @DisplayName("a generated secret also decodes to a 32-byte standard-webhooks key")
  @Test
  void generatedSecretWorksForStandardWebhooks() {
    String secret = WebhookSecrets.generate();
    Optional<byte[]> key = StandardWebhooksVerifier.decodeKey(secret);
    assertThat(key).get().extracting(k -> k.length).isEqualTo(32);
    String signature = "v1," + StandardWebhooksVerifier.signature(key.get(), "msg_1", NOW, BODY);

    VerificationResult result = verifier.verify(SignatureScheme.STANDARD_WEBHOOKS, Headers.of("webhook-id", "msg_1",
        "webhook-timestamp", Long.toString(NOW), "webhook-signature", signature), BODY, List.of(secret), NOW);
    assertThat(result.valid()).as(result.reason()).isTrue();
  }
}
