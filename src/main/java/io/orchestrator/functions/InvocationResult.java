package io.orchestrator.functions;

/** What one function attempt produced: an output, or a failure recorded in the run (never an exception). */
public sealed interface InvocationResult {

  /**
   * {@code output} is any JSON value (JsonObject, JsonArray, String, Number, Boolean), or null for a 204 No Content
   * or a JSON null.
   */
  record Success(Object output) implements InvocationResult {
  }

  /** {@code code}: http_&lt;status&gt;, invalid_response, timeout, connection_error, url_not_allowed… */
  record Failure(String code, String message) implements InvocationResult {
  }
}
