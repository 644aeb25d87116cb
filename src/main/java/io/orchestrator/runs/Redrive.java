package io.orchestrator.runs;

import io.orchestrator.common.Timestamps;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One redrive of a failed or cancelled run, as its {@code redrives[]} entry records it.
 *
 * @param fromStepId the step the run continues at
 * @param by         the subject of the token that asked for it
 */
public record Redrive(Instant at, String fromStepId, String by) {

  public JsonObject toJson() {
    return new JsonObject().put("at", Timestamps.format(at)).put("fromStepId", fromStepId).put("by", by);
  }

  /** What a redrive came to, and the run as the redrive left it (pending; null unless redriven). */
  public record Outcome(Result result, Run run) {

    public static Outcome of(Result result) {
      return new Outcome(result, null);
    }
  }

  /** What a redrive of a run came to. */
  public enum Result {
    /** The run is pending again. */
    REDRIVEN,
    /** No such run in that workspace and orchestration. */
    NOT_FOUND,
    /** The run is not failed or cancelled, or another redrive changed it since it was read. */
    CONFLICT
  }
}
