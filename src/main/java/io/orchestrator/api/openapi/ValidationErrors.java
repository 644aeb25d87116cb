package io.orchestrator.api.openapi;

import io.orchestrator.common.ApiException;
import io.orchestrator.common.FieldError;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the OpenAPI router's validation failures to the reference's {@code validation_error} body: each schema
 * error becomes one {@code {field, message}} with a dotted field path ({@code steps[0].cases[1].nextStepId}).
 * The router fails a request with an {@code HttpException(400)} whose cause is vertx-openapi's
 * {@link ValidatorException}; what that carries is made for humans, not clients: a JSON pointer per schema error
 * ({@code OutputUnit}), duplicate {@code properties}/{@code additionalProperties}/{@code allOf} entries for one
 * problem, a missing {@code required} property named only inside the message text, and a parameter's name only
 * inside "The formatting of the value of query parameter pageSize…". This class depends on those texts and shapes,
 * so a vertx-openapi upgrade that rewords them shows up in {@code OpenApiWorkaroundsTest}.
 */
public final class ValidationErrors {

  private static final Pattern PARAMETER = Pattern.compile("(?:query|path|header|cookie) parameter (\\S+)");
  private static final Pattern REQUIRED = Pattern.compile("required property \"?'?([^\"']+)\"?'?");
  private static final Set<String> NOISE = Set.of("properties", "items", "allOf", "$ref", "additionalProperties",
    "anyOf", "oneOf", "prefixItems", "dependentSchemas", "unevaluatedProperties");

  private ValidationErrors() {
  }

  /** The API error for a failure of the router's request validation; empty for any other failure. */
  public static Optional<ApiException> of(Throwable failure) {
    if (failure instanceof HttpException http && http.getCause() instanceof ValidatorException validation) {
      return Optional.of(from(validation));
    }
    if (failure instanceof ValidatorException validation) {
      return Optional.of(from(validation));
    }
    return Optional.empty();
  }

  /** A body that is not (strict) JSON. */
  static ApiException malformedBody() {
    return ApiException.validation("Malformed JSON body", List.of(new FieldError("body", "must be valid JSON")));
  }

  static ApiException from(ValidatorException e) {
    if (e.type() == ValidatorErrorType.MISSING_REQUIRED_PARAMETER && !(e instanceof SchemaValidationException)) {
      Matcher m = PARAMETER.matcher(e.getMessage());
      return m.find() ? ApiException.validation(m.group(1), "required")
        : ApiException.validation("Request body is required", List.of(new FieldError("body", "required")));
    }
    if (e.type() == ValidatorErrorType.ILLEGAL_VALUE && e.getMessage().contains("body")) {
      return malformedBody();
    }
    Matcher parameter = PARAMETER.matcher(e.getMessage());
    if (parameter.find()) {
      return ApiException.validation("Invalid parameter " + parameter.group(1),
        List.of(new FieldError(parameter.group(1), parameterMessage(e))));
    }
    if (e instanceof SchemaValidationException schema) {
      return ApiException.validation("Invalid request body", details(schema.getOutputUnit()));
    }
    return ApiException.validation("Invalid request", List.of(new FieldError("body", e.getMessage())));
  }

  private static String parameterMessage(ValidatorException e) {
    if (e instanceof SchemaValidationException schema && !schema.getOutputUnit().getErrors().isEmpty()) {
      List<OutputUnit> errors = schema.getOutputUnit().getErrors();
      return humanize(errors.get(errors.size() - 1));
    }
    return "has an invalid value";
  }

  private static List<FieldError> details(OutputUnit root) {
    Set<FieldError> details = new LinkedHashSet<>();
    List<OutputUnit> errors = root.getErrors() == null ? List.of() : root.getErrors();
    for (OutputUnit error : errors) {
      if (NOISE.contains(keyword(error))) {
        continue;
      }
      details.add(fieldError(error));
    }
    if (details.isEmpty()) {
      details.add(new FieldError("body", root.getError() == null ? "is invalid" : root.getError()));
    }
    return new ArrayList<>(details);
  }

  private static FieldError fieldError(OutputUnit error) {
    String field = dotted(error.getInstanceLocation());
    String text = error.getError() == null ? "" : error.getError();
    if ("required".equals(keyword(error))) {
      Matcher m = REQUIRED.matcher(text);
      if (m.find()) {
        return new FieldError(field.isEmpty() ? m.group(1) : field + "." + m.group(1), "required");
      }
    }
    return new FieldError(field.isEmpty() ? "body" : field, humanize(error));
  }

  private static String humanize(OutputUnit error) {
    String text = error.getError() == null ? "is invalid" : error.getError();
    return switch (keyword(error)) {
      case "type" -> text.replaceFirst("^Instance type (\\S+) is invalid\\. Expected (.+)$", "must be $2, not $1");
      case "enum" -> "must be one of the allowed values";
      default -> text;
    };
  }

  /** The schema keyword that failed: the last segment of the keyword location ({@code …/properties/id/type}). */
  private static String keyword(OutputUnit error) {
    String location = error.getKeywordLocation();
    if (location == null || location.isEmpty()) {
      return "";
    }
    return location.substring(location.lastIndexOf('/') + 1);
  }

  /** {@code /steps/0/cases/1/nextStepId} or {@code #/steps/0} → {@code steps[0].cases[1].nextStepId}. */
  static String dotted(String pointer) {
    if (pointer == null) {
      return "";
    }
    String path = pointer.startsWith("#") ? pointer.substring(1) : pointer;
    StringBuilder out = new StringBuilder();
    for (String raw : path.split("/")) {
      if (raw.isEmpty()) {
        continue;
      }
      String segment = raw.replace("~1", "/").replace("~0", "~");
      if (segment.chars().allMatch(Character::isDigit)) {
        out.append('[').append(segment).append(']');
      } else {
        out.append(out.length() == 0 ? "" : ".").append(segment);
      }
    }
    return out.toString();
  }
}
