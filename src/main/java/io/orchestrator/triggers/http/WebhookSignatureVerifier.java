package io.orchestrator.triggers.http;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** Dispatches to the per-scheme verifier. Stateless; one instance can be shared. */
public final class WebhookSignatureVerifier implements SignatureVerifier {

  @Override
  public VerificationResult verify(SignatureScheme scheme, Function<String, String> header, byte[] body,
      List<String> secrets, long nowEpochSeconds) {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(body, "body");
    return switch (scheme) {
      case STRIPE -> StripeVerifier.verify(header, body, secrets, nowEpochSeconds);
      case STANDARD_WEBHOOKS -> StandardWebhooksVerifier.verify(header, body, secrets, nowEpochSeconds);
    };
  }
}
