package io.orchestrator.api.openapi;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.Operation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A quick yes for request bodies whose schema is shallow: an object with named properties, each only typed
 * ({@code object}, {@code array}, {@code boolean}, or {@code string} with length bounds), some required. The trigger's
 * body is such a schema, and vertx-json-schema's interpreter took 15 % of a trigger's CPU to check it
 * (docs/performance.md §15). {@link #accepts} answers yes only for a body the full validator would accept; for any
 * other body (a wrong type, a null, a string too long) it answers no and the full validator runs, so its error
 * message is the one the client gets. A schema with any other keyword, or none at all, has no shallow form.
 */
final class ShallowBodySchema {

  /** Keywords that constrain nothing, and the resolver's own bookkeeping ({@code __absolute_uri__}). */
  private static final Set<String> ANNOTATIONS = Set.of("description", "title", "example", "examples",
    "__absolute_uri__");
  private static final Set<String> OBJECT_KEYWORDS = Set.of("type", "properties", "required");
  private static final Set<String> PROPERTY_KEYWORDS = Set.of("type", "minLength", "maxLength");
  private static final Set<String> PROPERTY_TYPES = Set.of("object", "array", "boolean", "string");

  /** A property's check: its type, and for a string its length bounds in code points. */
  private record Property(String type, int minLength, int maxLength) {

    boolean accepts(Object value) {
      return switch (type) {
        case "object" -> value instanceof JsonObject;
        case "array" -> value instanceof JsonArray;
        case "boolean" -> value instanceof Boolean;
        default -> value instanceof String text && length(text) >= minLength && length(text) <= maxLength;
      };
    }

    private static int length(String text) {
      return text.codePointCount(0, text.length());
    }
  }

  private final Map<String, Property> properties;
  private final List<String> required;

  private ShallowBodySchema(Map<String, Property> properties, List<String> required) {
    this.properties = properties;
    this.required = required;
  }

  /** The shallow form of the operation's JSON body schema, or null when it has none (the full validator runs). */
  static ShallowBodySchema of(Operation operation) {
    if (operation.getRequestBody() == null) {
      return null;
    }
    Map<String, MediaType> content = operation.getRequestBody().getContent();
    MediaType json = content.size() == 1 ? content.get(MediaType.APPLICATION_JSON) : null;
    JsonSchema schema = json == null ? null : json.getSchema();
    return schema == null ? null : of(schema);
  }

  static ShallowBodySchema of(JsonSchema schema) {
    if (!only(schema.fieldNames(), OBJECT_KEYWORDS) || !"object".equals(schema.get("type"))
      || !(schema.get("properties") instanceof JsonObject props)) {
      return null;
    }
    Object required = schema.get("required", new JsonArray());
    if (!(required instanceof JsonArray names) || !names.stream().allMatch(String.class::isInstance)) {
      return null;
    }
    Map<String, Property> properties = new HashMap<>();
    for (String name : props.fieldNames()) {
      Property property = property(props.getValue(name));
      if (property == null) {
        return null;
      }
      properties.put(name, property);
    }
    return new ShallowBodySchema(properties, names.stream().map(String.class::cast).toList());
  }

  private static Property property(Object schema) {
    if (!(schema instanceof JsonObject property) || !only(property.fieldNames(), PROPERTY_KEYWORDS)
      || !(property.getValue("type") instanceof String type) || !PROPERTY_TYPES.contains(type)) {
      return null;
    }
    boolean string = type.equals("string");
    Object min = property.getValue("minLength", 0);
    Object max = property.getValue("maxLength", Integer.MAX_VALUE);
    if ((!string && (property.containsKey("minLength") || property.containsKey("maxLength")))
      || !(min instanceof Integer minLength) || !(max instanceof Integer maxLength)) {
      return null;
    }
    return new Property(type, minLength, maxLength);
  }

  private static boolean only(Set<String> keywords, Set<String> allowed) {
    return keywords.stream().allMatch(k -> allowed.contains(k) || ANNOTATIONS.contains(k));
  }

  /** True only when the full validator would accept {@code body} (a decoded JSON value). */
  boolean accepts(Object body) {
    if (!(body instanceof JsonObject object)) {
      return false;
    }
    for (String name : required) {
      if (!object.containsKey(name)) {
        return false;
      }
    }
    for (Map.Entry<String, Property> property : properties.entrySet()) {
      if (object.containsKey(property.getKey()) && !property.getValue().accepts(object.getValue(property.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
