package io.orchestrator.triggers.events;

import io.vertx.core.json.JsonObject;

/** A run an event started, as the {@code /events} response lists it. */
public record EventRun(String id, String orchestrationId, String status) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("orchestrationId", orchestrationId).put("status", status);
  }

  public static EventRun fromJson(JsonObject json) {
    return new EventRun(json.getString("id"), json.getString("orchestrationId"), json.getString("status"));
  }
}
