package io.orchestrator.triggers.http;

import java.util.List;
import java.util.function.Function;

/**
 * Checks an inbound webhook's signature. Implementations are pure and thread-safe: no I/O, no clock
 * of their own, no logging.
 */
public interface SignatureVerifier {

  /** Maximum distance, in seconds and in either direction, between the signed timestamp and now. */
  long TOLERANCE_SECONDS = 300;

  /**
   * Verifies one request.
   *
   * @param scheme the scheme the trigger is configured with
   * @param header case-insensitive header lookup returning {@code null} when the header is absent
   * @param body the raw request body exactly as received, never re-serialised
   * @param secrets candidate secrets: the current one plus any previous one still inside its rotation
   *     grace window (the caller does that filtering); the request is valid if any of them validates
   * @param nowEpochSeconds current time in Unix seconds, injected so tests can pin it
   */
  VerificationResult verify(SignatureScheme scheme, Function<String, String> header, byte[] body,
      List<String> secrets, long nowEpochSeconds);

  /** The verifier for all {@link SignatureScheme}s. */
  static SignatureVerifier create() {
    return new WebhookSignatureVerifier();
  }
}
