package io.orchestrator.store.redis;

import io.orchestrator.common.Timestamps;
import io.orchestrator.common.TraceParent;
import io.orchestrator.runs.NewRun;
import io.orchestrator.runs.Run;
import io.orchestrator.runs.RunStatus;
import io.orchestrator.runs.StepError;
import io.orchestrator.runs.StepRecord;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps run hashes to {@link Run} and back. JSON fields are stored as text; null strings and instants as "".
 * Step outputs live in one field per step, {@code out:<stepId>}, so a step's write never rewrites the others.
 */
final class RunHashCodec {

  static final String OUTPUT_FIELD_PREFIX = "out:";
  private static final String TRACE_PARENT = "traceparent";
  private static final String TRACE_STATE = "tracestate";

  private RunHashCodec() {
  }

  /**
   * Field → value of a hash-like reply: a RESP3 map, or the flat RESP2 / Lua array. Empty for a missing hash; a nil
   * value (e.g. the {@code lag} of {@code XINFO GROUPS}) maps to null.
   */
  static Map<String, String> fields(Response reply) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (reply == null || reply.type() != ResponseType.MULTI) {
      return fields;
    }
    if (reply.isMap()) {
      reply.getKeys().forEach(key -> fields.put(key, text(reply.get(key))));
      return fields;
    }
    for (int i = 0; i + 1 < reply.size(); i += 2) {
      fields.put(reply.get(i).toString(), text(reply.get(i + 1)));
    }
    return fields;
  }

  private static String text(Response value) {
    return value == null ? null : value.toString();
  }

  static Optional<Run> decodeReply(Response reply) {
    Map<String, String> fields = fields(reply);
    return fields.isEmpty() ? Optional.empty() : Optional.of(decode(fields));
  }

  static Run decode(Map<String, String> h) {
    JsonArray executed = new JsonArray(h.getOrDefault("executedSteps", "[]"));
    return new Run(h.get("id"), h.get("workspace"), h.get("orchestrationId"), integer(h, "orchestrationVersion"),
      RunStatus.fromWire(h.get("status")), h.get("triggerType"), object(h, "triggerMetadata"), object(h, "input"),
      object(h, "context"), stepOutputs(h, executed), nullIfEmpty(h.get("currentStepId")), executed,
      instant(h.get("startedAt")), instant(h.get("completedAt")), "1".equals(h.get("hasErrors")),
      new JsonArray(h.getOrDefault("errors", "[]")), integer(h, "delayStepCount"),
      nullIfEmpty(h.get("correlationId")), nullIfEmpty(h.get("cursor")), integer(h, "attempt"),
      integer(h, "stepCount"), Long.parseLong(h.getOrDefault("fence", "0")), nullIfEmpty(h.get("task")),
      (long) Double.parseDouble(h.getOrDefault("dueAt", "0")), nullIfEmpty(h.get("replayOf")),
      new JsonArray(h.getOrDefault("redrives", "[]")), nullIfEmpty(h.get("resumeStepId")), longValue(h, "seq"),
      longValue(h, "stepAt"), new JsonArray(h.getOrDefault("tl", "[]")),
      TraceParent.parse(h.get(TRACE_PARENT)).orElse(null), nullIfEmpty(h.get(TRACE_STATE)));
  }

  /** Field, value, field, value … of a new pending run created at {@code now}. */
  static List<String> encode(NewRun run, long now) {
    List<String> f = new ArrayList<>();
    add(f, "id", run.id());
    add(f, "workspace", run.workspace());
    add(f, "orchestrationId", run.orchestrationId());
    add(f, "orchestrationVersion", Integer.toString(run.orchestrationVersion()));
    add(f, "status", RunStatus.PENDING.wire());
    add(f, "triggerType", run.triggerType());
    add(f, "triggerMetadata", run.triggerMetadata().encode());
    add(f, "input", run.input().encode());
    add(f, "context", run.context().encode());
    add(f, "currentStepId", "");
    add(f, "executedSteps", "[]");
    add(f, "startedAt", Long.toString(now));
    add(f, "completedAt", "");
    add(f, "hasErrors", "0");
    add(f, "errors", "[]");
    add(f, "delayStepCount", "0");
    add(f, "correlationId", run.correlationId() == null ? "" : run.correlationId());
    add(f, "cursor", run.entryStepId());
    add(f, "attempt", "1");
    add(f, "stepCount", "0");
    add(f, "fence", "0");
    if (run.replayOf() != null) {
      add(f, "replayOf", run.replayOf());
    }
    addTrace(f, run.traceParent(), run.traceState());
    return f;
  }

  /**
   * The trace context a run was started with, when it came with one (a run's own trace id is derived from its id
   * and not stored): {@code traceparent} as version 00, {@code tracestate} as given.
   */
  private static void addTrace(List<String> f, TraceParent parent, String state) {
    if (parent != null) {
      add(f, TRACE_PARENT, TraceParent.header(parent.traceId(), parent.parentId(), parent.flags()));
      if (state != null) {
        add(f, TRACE_STATE, state);
      }
    }
  }

  /**
   * Field, value, field, value … of a whole run read back from the history, so a redrive can bring it back into
   * Redis as it was (fields left out of {@link #encode} for a new run are left out here too when empty).
   */
  static List<String> encode(Run run) {
    List<String> f = new ArrayList<>();
    add(f, "id", run.id());
    add(f, "workspace", run.workspace());
    add(f, "orchestrationId", run.orchestrationId());
    add(f, "orchestrationVersion", Integer.toString(run.orchestrationVersion()));
    add(f, "status", run.status().wire());
    add(f, "triggerType", run.triggerType());
    add(f, "triggerMetadata", run.triggerMetadata().encode());
    add(f, "input", run.input().encode());
    add(f, "context", run.context().encode());
    add(f, "currentStepId", run.currentStepId() == null ? "" : run.currentStepId());
    add(f, "executedSteps", run.executedSteps().encode());
    add(f, "startedAt", Long.toString(run.startedAt().toEpochMilli()));
    add(f, "completedAt", run.completedAt() == null ? "" : Long.toString(run.completedAt().toEpochMilli()));
    add(f, "hasErrors", run.hasErrors() ? "1" : "0");
    add(f, "errors", run.errors().encode());
    add(f, "delayStepCount", Integer.toString(run.delayStepCount()));
    add(f, "correlationId", run.correlationId() == null ? "" : run.correlationId());
    add(f, "cursor", run.cursor() == null ? "" : run.cursor());
    add(f, "attempt", Integer.toString(run.attempt()));
    add(f, "stepCount", Integer.toString(run.stepCount()));
    add(f, "fence", Long.toString(run.fence()));
    if (run.replayOf() != null) {
      add(f, "replayOf", run.replayOf());
    }
    if (!run.redrives().isEmpty()) {
      add(f, "redrives", run.redrives().encode());
    }
    if (run.resumeStepId() != null) {
      add(f, "resumeStepId", run.resumeStepId());
    }
    add(f, "seq", Long.toString(run.seq()));
    if (run.stepAt() > 0) {
      add(f, "stepAt", Long.toString(run.stepAt()));
    }
    if (!run.timeline().isEmpty()) {
      add(f, "tl", run.timeline().encode());
    }
    addTrace(f, run.traceParent(), run.traceState());
    run.stepOutputs().forEach(output -> add(f, OUTPUT_FIELD_PREFIX + output.getKey(), output(output.getValue())));
    return f;
  }

  /** The errors[] entry of a failed attempt, {@code at} in the API's timestamp format. */
  static String errorEntry(StepError error, long at) {
    return error.toJson(at).encode();
  }

  /** A step output as script argument: "" stands for "no output". */
  static String output(Object output) {
    return output == null ? "" : Json.encode(output);
  }

  /** A context as script argument: "" stands for "unchanged". */
  static String context(JsonObject context) {
    return context == null ? "" : context.encode();
  }

  /** Appends each step as the triple advanceRun and finishRun read: step id, {@link #output}, {@link #context}. */
  static void addSteps(List<String> args, List<StepRecord> steps) {
    for (StepRecord step : steps) {
      args.add(step.stepId());
      args.add(output(step.output()));
      args.add(context(step.context()));
    }
  }

  private static JsonObject stepOutputs(Map<String, String> h, JsonArray executed) {
    JsonObject outputs = new JsonObject();
    for (Object stepId : executed) {
      String value = h.get(OUTPUT_FIELD_PREFIX + stepId);
      if (value != null && !outputs.containsKey((String) stepId)) {
        outputs.put((String) stepId, Json.decodeValue(value));
      }
    }
    return outputs;
  }

  private static void add(List<String> fields, String name, String value) {
    fields.add(name);
    fields.add(value);
  }

  private static JsonObject object(Map<String, String> h, String field) {
    return new JsonObject(h.getOrDefault(field, "{}"));
  }

  static long longValue(Map<String, String> h, String field) {
    String value = h.get(field);
    return value == null || value.isEmpty() ? 0 : (long) Double.parseDouble(value);
  }

  static int integer(Map<String, String> h, String field) {
    return Integer.parseInt(h.getOrDefault(field, "0"));
  }

  static Instant instant(String epochMs) {
    return epochMs == null || epochMs.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(epochMs));
  }

  static String nullIfEmpty(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
