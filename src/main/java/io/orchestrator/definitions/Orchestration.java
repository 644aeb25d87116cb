package io.orchestrator.definitions;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One version of an orchestration definition as stored. {@code trigger} and {@code steps} are the validated
 * request JSON; {@link StepsParser} turns the steps into records for the engine.
 */
public record Orchestration(String id, String workspace, String slug, String name, String description, int version,
                            boolean active, JsonObject trigger, JsonArray steps, Instant createdAt,
                            Instant updatedAt, String createdBy, String updatedBy) {
}
