package io.orchestrator.common;

import java.util.List;

/**
 * A failure the client caused or must see: carries the HTTP status, the error code of DESIGN.md §2 and the
 * optional per-field details. Built only through the static factories so codes and statuses stay paired.
 */
public final class ApiException extends RuntimeException {

  private final int status;
  private final String code;
  private final List<FieldError> details;

  private ApiException(int status, String code, String message, List<FieldError> details) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.details = List.copyOf(details);
  }

  public static ApiException validation(String message, List<FieldError> details) {
    return new ApiException(400, "validation_error", message, details);
  }

  public static ApiException validation(String field, String message) {
    return validation("Invalid request", List.of(new FieldError(field, message)));
  }

  public static ApiException unauthorized(String message) {
    return new ApiException(401, "unauthorized", message, List.of());
  }

  public static ApiException invalidSignature() {
    return new ApiException(401, "invalid_signature", "Signature verification failed", List.of());
  }

  public static ApiException forbidden(String message) {
    return new ApiException(403, "forbidden", message, List.of());
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message, List.of());
  }

  public static ApiException conflict(String message) {
    return new ApiException(409, "conflict", message, List.of());
  }

  public static ApiException preconditionFailed(String message) {
    return new ApiException(412, "precondition_failed", message, List.of());
  }

  public static ApiException payloadTooLarge(String message) {
    return new ApiException(413, "payload_too_large", message, List.of());
  }

  public static ApiException unsupportedMediaType(String message) {
    return new ApiException(415, "unsupported_media_type", message, List.of());
  }

  public static ApiException rateLimited(String message) {
    return new ApiException(429, "rate_limited", message, List.of());
  }

  public static ApiException methodNotAllowed() {
    return new ApiException(405, "method_not_allowed", "Method not allowed for this path", List.of());
  }

  public static ApiException internal() {
    return new ApiException(500, "internal_error", "Internal error", List.of());
  }

  public static ApiException unavailable(String message) {
    return new ApiException(503, "unavailable", message, List.of());
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public List<FieldError> details() {
    return details;
  }
}
