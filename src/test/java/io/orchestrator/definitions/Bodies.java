package io.orchestrator.definitions;

import io.orchestrator.common.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

/** Request bodies for the definition tests: the API reference's create example and a richer one. */
final class Bodies {

  static final Instant NOW = Instant.parse("2025-01-15T10:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final Set<String> FUNCTIONS = Set.of("func_abc123", "func_def456", "func_ghi789");
  static final DefinitionValidator VALIDATOR = new DefinitionValidator(CLOCK);

  private Bodies() {
  }

  /** The create request of the API reference, verbatim. */
  static JsonObject reference() {
    return new JsonObject("""
      {
        "slug": "order-processing",
        "name": "Order Processing Workflow",
        "description": "Process new orders through validation and fulfillment",
        "trigger": { "type": "event-driven", "eventType": "record.created", "structureSlug": "orders" },
        "steps": [
          { "id": "validate", "name": "Validate Order", "type": "compute", "functionId": "func_abc123",
            "nextStepId": "check-result" },
          { "id": "check-result", "name": "Check Validation", "type": "decision",
            "cases": [ { "conditions": [ { "path": "steps.validate.output.isValid", "op": "eq", "value": true } ],
                         "nextStepId": "fulfill" } ],
            "defaultNextStepId": "reject" },
          { "id": "fulfill", "name": "Fulfill Order", "type": "compute", "functionId": "func_def456" },
          { "id": "reject", "name": "Reject Order", "type": "compute", "functionId": "func_ghi789" }
        ]
      }
      """);
  }

  /** Every step type, every operator, retry, delay, a cycle and a scheduled trigger. */
  static JsonObject rich() {
    return new JsonObject("""
      {
        "slug": "rich-flow-2",
        "name": "Rich flow",
        "description": null,
        "isActive": false,
        "trigger": { "type": "scheduled", "scheduleType": "cron", "cronExpression": "0 9 * * MON-FRI",
                     "timezone": "America/New_York", "misfirePolicy": "skip" },
        "steps": [
          { "id": "fetch", "type": "compute", "functionId": "func_abc123", "timeoutMs": 30000,
            "nextStepId": "route", "retry": { "maxAttempts": 3, "backoffMs": 500, "backoffMultiplier": 1.5 } },
          { "id": "route", "name": "Route", "type": "decision", "cases": [
              { "conditions": [ { "path": "input.status", "op": "eq", "value": "approved" },
                                { "path": "input.amount", "op": "gt", "value": 100 },
                                { "path": "input.amount", "op": "lte", "value": 1e6 },
                                { "path": "context.tier", "op": "in", "value": ["gold", {"level": [1, 2]}] },
                                { "path": "input.email", "op": "exists" } ],
                "nextStepId": "pause" },
              { "conditions": [ { "path": "steps.fetch.output.items.count", "op": "gte", "value": 0 },
                                { "path": "context", "op": "neq", "value": null },
                                { "path": "input.kind", "op": "notIn", "value": [] },
                                { "path": "steps.fetch.output", "op": "lt", "value": -1.5 },
                                { "path": "input.flag", "op": "notExists" } ],
                "nextStepId": "fetch" }
            ],
            "defaultNextStepId": null },
          { "id": "pause", "type": "delay", "delayMs": 3600000, "nextStepId": "finish_1" },
          { "id": "finish_1", "type": "compute", "functionId": "func_def456", "nextStepId": null,
            "retry": { "maxAttempts": 1 } }
        ]
      }
      """);
  }

  /** A one-step body around {@code trigger}, for trigger tests. */
  static JsonObject withTrigger(JsonObject trigger) {
    return reference().put("trigger", trigger);
  }

  /** A body around {@code steps}, for step tests. */
  static JsonObject withSteps(JsonArray steps) {
    return reference().put("steps", steps);
  }

  static List<FieldError> create(JsonObject body) {
    return VALIDATOR.validateCreate(body, FUNCTIONS);
  }
}
