package io.orchestrator.store.redis;

import static io.orchestrator.store.redis.RunHashCodec.instant;
import static io.orchestrator.store.redis.RunHashCodec.integer;
import static io.orchestrator.store.redis.RunHashCodec.longValue;
import static io.orchestrator.store.redis.RunHashCodec.nullIfEmpty;

import io.orchestrator.common.Timestamps;
import io.orchestrator.common.TraceParent;
import io.orchestrator.runs.HistoryRecord;
import io.orchestrator.runs.RunJson;
import io.orchestrator.runs.RunStatus;
import io.vertx.core.json.JsonArray;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A run hash's history record, its document written as JSON text with the hash's JSON fields (input, context, step
 * outputs, errors, timeline …) spliced in as stored: the archiver writes every finished run, and decoding those
 * fields only to encode them again was a tenth of the service's CPU. The document is the one {@link RunJson#toHistory}
 * gives for {@link RunHashCodec#decode} of the same hash (RunHistoryTextTest holds the two together); only the step
 * ids, the redrives (to count them) and the trace context are decoded.
 */
final class RunHistoryText {

  private final StringBuilder json = new StringBuilder(512).append('{');

  private RunHistoryText() {
  }

  static HistoryRecord record(Map<String, String> h) {
    String id = h.get("id");
    RunStatus status = RunStatus.fromWire(h.get("status"));
    Instant startedAt = instant(h.get("startedAt"));
    Instant completedAt = instant(h.get("completedAt"));
    String correlationId = nullIfEmpty(h.get("correlationId"));
    String replayOf = nullIfEmpty(h.get("replayOf"));
    TraceParent parent = TraceParent.parse(h.get("traceparent")).orElse(null);
    String executedSteps = h.getOrDefault("executedSteps", "[]");
    String redrives = h.getOrDefault("redrives", "[]");

    RunHistoryText d = new RunHistoryText();
    d.string("id", id).string("orchestrationId", h.get("orchestrationId")).string("status", status.wire())
      .string("triggerType", h.get("triggerType")).raw("triggerMetadata", h.getOrDefault("triggerMetadata", "{}"))
      .string("currentStepId", nullIfEmpty(h.get("currentStepId")))
      .string("startedAt", Timestamps.format(startedAt)).string("completedAt", Timestamps.format(completedAt))
      .raw("hasErrors", "1".equals(h.get("hasErrors")) ? "true" : "false")
      .raw("delayStepCount", Integer.toString(integer(h, "delayStepCount")))
      .string("correlationId", correlationId)
      .string("traceId", parent != null ? parent.traceId() : TraceParent.traceIdOfRun(id));
    if (replayOf != null) {
      d.string("replayOf", replayOf);
    }
    d.raw("orchestrationVersion", Integer.toString(integer(h, "orchestrationVersion")))
      .raw("input", h.getOrDefault("input", "{}")).raw("context", h.getOrDefault("context", "{}"))
      .stepOutputs(h, executedSteps).raw("executedSteps", executedSteps).raw("errors", h.getOrDefault("errors", "[]"))
      .raw("redriveCount", Integer.toString(redrives.equals("[]") ? 0 : new JsonArray(redrives).size()))
      .raw("redrives", redrives)
      .string("workspace", h.get("workspace")).string("cursor", nullIfEmpty(h.get("cursor")))
      .raw("attempt", Integer.toString(integer(h, "attempt")))
      .raw("stepCount", Integer.toString(integer(h, "stepCount")))
      .raw("fence", Long.toString(Long.parseLong(h.getOrDefault("fence", "0"))))
      .string("resumeStepId", nullIfEmpty(h.get("resumeStepId")))
      .raw("seq", Long.toString(longValue(h, "seq"))).raw("stepAt", Long.toString(longValue(h, "stepAt")))
      .raw("tl", h.getOrDefault("tl", "[]"));
    if (parent != null) {
      d.string("traceparent", TraceParent.header(parent.traceId(), parent.parentId(), parent.flags()))
        .string("tracestate", nullIfEmpty(h.get("tracestate")));
    }
    return new HistoryRecord(id, h.get("workspace"), h.get("orchestrationId"), status, startedAt, completedAt,
      correlationId, d.json.append('}').toString());
  }

  /** Each executed step's stored output (fields {@code out:<stepId>}) in the order the steps ran, each step once. */
  private RunHistoryText stepOutputs(Map<String, String> h, String executedSteps) {
    name("stepOutputs").append('{');
    Set<Object> seen = new HashSet<>();
    boolean first = true;
    for (Object stepId : new JsonArray(executedSteps)) {
      String output = h.get(RunHashCodec.OUTPUT_FIELD_PREFIX + stepId);
      if (output != null && seen.add(stepId)) {
        if (!first) {
          json.append(',');
        }
        first = false;
        quote((String) stepId).append(':').append(output);
      }
    }
    json.append('}');
    return this;
  }

  private RunHistoryText string(String name, String value) {
    name(name);
    if (value == null) {
      json.append("null");
    } else {
      quote(value);
    }
    return this;
  }

  private RunHistoryText raw(String name, String jsonValue) {
    name(name).append(jsonValue);
    return this;
  }

  private StringBuilder name(String name) {
    if (json.length() > 1) {
      json.append(',');
    }
    return quote(name).append(':');
  }

  private StringBuilder quote(String value) {
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    return json.append('"');
  }
}
