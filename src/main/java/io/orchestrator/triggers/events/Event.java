package io.orchestrator.triggers.events;

import io.orchestrator.common.ApiException;
import io.orchestrator.common.FieldError;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One record event, as posted to {@code /events} or read from the event stream.
 *
 * @param structureSlug the record's structure; null matches only triggers without a structureSlug
 * @param recordId      optional
 * @param data          any JSON value (object, array, scalar) or null
 * @param eventId       the producer's id for deduplication; null = the service generates one
 */
public record Event(String workspace, EventType type, String structureSlug, String recordId, Object data,
                    String eventId) {

  static final int MAX_TEXT = 255;
  private static final Pattern WORKSPACE = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$");

  /**
   * Reads an event body ({@code eventType, structureSlug?, recordId?, data?, eventId?}) for {@code workspace}.
   *
   * @throws ApiException validation_error naming every bad field
   */
  public static Event fromJson(String workspace, JsonObject body) {
    List<FieldError> problems = new ArrayList<>();
    Object rawType = body.getValue("eventType");
    EventType type = rawType instanceof String s ? EventType.fromWire(s).orElse(null) : null;
    if (type == null) {
      problems.add(new FieldError("eventType", rawType == null ? "required"
        : "must be one of " + String.join(", ", EventType.wireNames())));
    }
    String structureSlug = optionalText(body, "structureSlug", problems);
    String recordId = optionalText(body, "recordId", problems);
    String eventId = optionalText(body, "eventId", problems);
    if (!problems.isEmpty()) {
      throw ApiException.validation("Invalid event", problems);
    }
    return new Event(workspace, type, structureSlug, recordId, body.getValue("data"), eventId);
  }

  /**
   * Reads a stream entry's event JSON, which names its workspace in {@code workspaceSlug}.
   *
   * @throws ApiException validation_error when the workspace or any event field is bad
   */
  public static Event fromStreamJson(JsonObject json) {
    Object workspace = json.getValue("workspaceSlug");
    if (!(workspace instanceof String ws) || !WORKSPACE.matcher(ws).matches()) {
      throw ApiException.validation("workspaceSlug", workspace == null ? "required" : "must be a workspace slug");
    }
    return fromJson(ws, json);
  }

  private static String optionalText(JsonObject body, String field, List<FieldError> problems) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text) || text.isEmpty() || text.length() > MAX_TEXT) {
      problems.add(new FieldError(field, "must be a string of 1 to " + MAX_TEXT + " characters"));
      return null;
    }
    return text;
  }
}
