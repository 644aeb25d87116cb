package io.orchestrator.functions;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A registered function: what a compute step runs. {@code runtime} is "http" (called at {@code url}) or "worker"
 * (served from {@code queue}). {@code headers} and {@code signingSecret} are secrets: never returned in full.
 */
public record FunctionDef(String id, String workspace, String name, String description, String runtime, String url,
                          String queue, JsonObject headers, Integer timeoutMs, String signingSecret,
                          Instant createdAt, Instant updatedAt, String createdBy, String updatedBy) {

  public boolean isWorker() {
    return "worker".equals(runtime);
  }
}
