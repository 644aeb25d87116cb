package io.orchestrator.definitions;

import io.vertx.core.json.Json;

/** Test helper: JSON literals written in test tables. */
final class JsonLiteral {

  private JsonLiteral() {
  }

  /** {@code "\"x\""} → "x", {@code "5"} → 5, {@code "{}"} → JsonObject, {@code "null"} → null, and so on. */
  static Object of(String literal) {
    return Json.decodeValue(literal);
  }
}
