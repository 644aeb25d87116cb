package io.orchestrator.definitions;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The replaceable part of a definition, as written by create or update. */
public record OrchestrationDraft(String name, String description, boolean active, JsonObject trigger,
                                 JsonArray steps) {

  /** The http-trigger path, or null when the trigger is of another type (kept unique per workspace). */
  public String httpPath() {
    return "http-trigger".equals(trigger.getString("type")) ? trigger.getString("path") : null;
  }
}
