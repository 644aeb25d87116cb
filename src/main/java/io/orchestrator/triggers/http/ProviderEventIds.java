package io.orchestrator.triggers.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The provider's own event id, used to drop redelivered webhooks. Kept apart from the verifiers because
 * it is the only webhook code that needs a JSON parser. Call it only after the signature verified.
 */
public final class ProviderEventIds {

  private ProviderEventIds() {
  }

  /**
   * Stripe: the top-level {@code "id"} string of the JSON body. Standard Webhooks: the
   * {@code webhook-id} header. Empty when absent, blank, or the body is not a JSON object.
   *
   * @param header case-insensitive header lookup returning {@code null} when absent
   */
  public static Optional<String> extract(SignatureScheme scheme, Function<String, String> header, byte[] body) {
    Objects.requireNonNull(scheme, "scheme");
    String id = switch (scheme) {
      case STRIPE -> topLevelId(body);
      case STANDARD_WEBHOOKS -> header.apply(StandardWebhooksVerifier.ID_HEADER);
    };
    return Optional.ofNullable(id).map(String::trim).filter(value -> !value.isEmpty());
  }

  // Webhook JSON is UTF-8 (RFC 8259); decoding to a String avoids allocating a Netty buffer.
  private static String topLevelId(byte[] body) {
    try {
      Object id = new JsonObject(new String(body, StandardCharsets.UTF_8)).getValue("id");
      return id instanceof String value ? value : null;
    } catch (DecodeException e) {
      return null;
    }
  }
}
