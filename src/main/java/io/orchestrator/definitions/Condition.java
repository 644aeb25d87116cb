package io.orchestrator.definitions;

/**
 * One test of a decision case. {@code value} is plain Java JSON: Map, List, String, Number, Boolean or null;
 * it is null (and meaningless) for {@code exists} / {@code notExists}.
 */
public record Condition(String path, ConditionOp op, Object value) {
}
