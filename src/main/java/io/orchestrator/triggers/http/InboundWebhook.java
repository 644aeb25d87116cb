package io.orchestrator.triggers.http;

import io.vertx.core.MultiMap;
import java.util.Objects;

/**
 * One delivery to the public http-trigger endpoint, as received.
 *
 * @param requestId   the request's id, for log lines
 * @param workspace   the workspace slug from the URL
 * @param path        the trigger path: the URL after {@code /http-triggers}, e.g. {@code /webhooks/stripe}
 * @param method      the HTTP method
 * @param query       decoded query parameters
 * @param headers     request headers (case-insensitive)
 * @param contentType the Content-Type header, null when absent
 * @param body        the raw body bytes exactly as received; signatures are checked over these
 */
public record InboundWebhook(String requestId, String workspace, String path, String method, MultiMap query,
                             MultiMap headers, String contentType, byte[] body) {

  public InboundWebhook {
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(headers, "headers");
    body = body == null ? new byte[0] : body;
  }

  /** Case-insensitive header lookup, null when absent: the shape the verifiers take. */
  public String header(String name) {
    return headers.get(name);
  }
}
