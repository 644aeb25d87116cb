package io.orchestrator.functions;

import io.vertx.core.json.JsonObject;

/**
 * One attempt of a compute step: the JSON body sent to the function and the key that makes retries of the same
 * step execution recognisable ({@code <runId>:<stepId>:<execution index>}).
 *
 * @param traceparent the W3C {@code traceparent} header of this attempt (the run's trace, the attempt's own span
 *                    id); null sends none
 * @param tracestate  the run's {@code tracestate}, sent with it; null sends none
 */
public record FunctionCall(FunctionDef function, JsonObject payload, String idempotencyKey, long timeoutMs,
                           String traceparent, String tracestate) {

  public FunctionCall(FunctionDef function, JsonObject payload, String idempotencyKey, long timeoutMs) {
    this(function, payload, idempotencyKey, timeoutMs, null, null);
  }
}
