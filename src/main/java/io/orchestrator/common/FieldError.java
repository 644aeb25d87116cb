package io.orchestrator.common;

/** One problem in a request: a dotted path into the request body ({@code steps[2].cases[0].value}) and a message. */
public record FieldError(String field, String message) {
}
