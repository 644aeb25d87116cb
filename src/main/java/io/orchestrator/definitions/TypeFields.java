package io.orchestrator.definitions;

import io.orchestrator.validation.Problems;
import io.orchestrator.validation.BodyReader;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fields that belong to some types of a step or trigger only. Given with a value on another type they would be
 * stored and shown without meaning anything (a delay's {@code functionId}, an on-demand trigger's
 * {@code cronExpression}) and unchecked (a {@code defaultNextStepId} naming no step), so they are a 400; a null
 * value is ignored here (the contract's schema decides whether null is allowed at all). Fields no type knows are
 * left alone: clients keep their own metadata there (an editor's node positions, say).
 */
final class TypeFields {

  private final String kind;
  /** field → the types it belongs to, in a stable order for messages */
  private final Map<String, List<String>> owners = new TreeMap<>();

  /** @param kind "step" or "trigger", for messages; @param fieldsByType type → the fields only it has */
  TypeFields(String kind, Map<String, List<String>> fieldsByType) {
    this.kind = kind;
    new TreeMap<>(fieldsByType).forEach((type, fields) ->
      fields.forEach(field -> owners.computeIfAbsent(field, f -> new ArrayList<>()).add(type)));
  }

  void check(JsonObject owner, String parent, String type, Problems problems) {
    owners.forEach((field, types) -> {
      if (!types.contains(type) && BodyReader.raw(owner, field) != null) {
        problems.add(Problems.path(parent, field), "applies only to " + String.join(" and ", types) + " " + kind
          + "s, not to " + type + " ones");
      }
    });
  }
}
