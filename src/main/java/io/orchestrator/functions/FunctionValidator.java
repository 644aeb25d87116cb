package io.orchestrator.functions;

import io.orchestrator.common.FieldError;
import io.orchestrator.validation.BodyReader;
import io.orchestrator.validation.Problems;
import io.orchestrator.validation.StorableJson;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Write-time validation of a function body (DESIGN.md §5), the same for create and replace (PUT). Returns every
 * problem at once with a dotted path into the body; never throws on any input. The signing secret is generated
 * by the service, so it is not part of the body.
 */
public final class FunctionValidator {

  static final List<String> RUNTIMES = List.of("http", "worker");
  static final Pattern QUEUE = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");
  static final int MAX_NAME = 200;
  static final int MAX_DESCRIPTION = 4000;
  static final int MAX_URL = 2048;
  static final long MAX_TIMEOUT_MS = 3_600_000L;

  private final UrlPolicy urlPolicy;

  public FunctionValidator(UrlPolicy urlPolicy) {
    this.urlPolicy = Objects.requireNonNull(urlPolicy, "urlPolicy");
  }

  public List<FieldError> validate(JsonObject body) {
    Problems problems = new Problems();
    if (body == null) {
      problems.add("", "must be a JSON object");
      return problems.toList();
    }
    BodyReader reader = new BodyReader(problems);
    reader.nonBlankText(body, "", "name", true, MAX_NAME);
    reader.text(body, "", "description", false, MAX_DESCRIPTION);
    String runtime = BodyReader.raw(body, "runtime") == null ? "http"
      : reader.oneOf(body, "", "runtime", false, RUNTIMES);
    if ("worker".equals(runtime)) {
      queue(reader, body);
    }
    // a worker function has no use for a url, but one given must still be safe to store
    if ("http".equals(runtime) || BodyReader.raw(body, "url") != null) {
      url(reader, body);
    }
    reader.integer(body, "", "timeoutMs", false, 1, MAX_TIMEOUT_MS);
    new FunctionHeaders(reader).validate(body);
    StorableJson.check(body, problems);
    return problems.toList();
  }

  private static void queue(BodyReader reader, JsonObject body) {
    String queue = reader.string(body, "", "queue", true);
    if (queue != null && !QUEUE.matcher(queue).matches()) {
      reader.problems().add("queue", "must be 1 to 64 letters, digits, '.', '_' or '-'");
    }
  }

  private void url(BodyReader reader, JsonObject body) {
    String url = reader.text(body, "", "url", true, MAX_URL);
    if (url == null) {
      return;
    }
    try {
      urlPolicy.problem(new URI(url)).ifPresent(message -> reader.problems().add("url", message));
    } catch (URISyntaxException e) {
      reader.problems().add("url", "must be a valid URL: " + e.getReason());
    }
  }
}
