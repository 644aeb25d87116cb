package io.orchestrator.triggers.schedule;

import io.orchestrator.common.Timestamps;
import io.orchestrator.schedule.DstNote;
import io.orchestrator.schedule.Fire;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;

/**
 * The answer of a schedule preview: the next fires and the zone their {@code localTime} is read in.
 *
 * @param fires in order, as {@link io.orchestrator.schedule.Schedule#nextFires} listed them; empty for an inactive
 *              orchestration or a {@code once} that fired
 * @param zone  the trigger's {@code timezone} (UTC when it names none)
 */
public record FirePreview(List<Fire> fires, ZoneId zone) {

  /** ISO-8601 with milliseconds and the offset always written as one ({@code +00:00}, never {@code Z}). */
  private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx");

  public FirePreview {
    fires = List.copyOf(fires);
    Objects.requireNonNull(zone, "zone");
  }

  /** {@code {next: [{at, localTime, note?}]}}: {@code at} in UTC as every timestamp of the API. */
  public JsonObject toJson() {
    JsonArray next = new JsonArray();
    for (Fire fire : fires) {
      JsonObject item = new JsonObject().put("at", Timestamps.format(fire.at()))
        .put("localTime", LOCAL_TIME.format(fire.at().atZone(zone)));
      fire.note().map(DstNote::wireName).ifPresent(note -> item.put("note", note));
      next.add(item);
    }
    return new JsonObject().put("next", next);
  }
}
