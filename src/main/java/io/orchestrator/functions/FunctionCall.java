package io.orchestrator.functions;

import io.vertx.core.json.JsonObject;

/**
 * One attempt of a compute step: the JSON body sent to the function and the key that makes retries of the same
 * step execution recognisable ({@code <runId>:<stepId>:<execution index>}).
 */
public record FunctionCall(FunctionDef function, JsonObject payload, String idempotencyKey, long timeoutMs) {
}
