package io.orchestrator.functions;

import io.orchestrator.common.FieldError;
import io.orchestrator.fixtures.RandomJson;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.params.provider.Arguments.arguments;

@DisplayName("FunctionValidator")
class FunctionValidatorTest {

  private static final FunctionValidator VALIDATOR = new FunctionValidator(UrlPolicy.defaults());

  private static JsonObject http() {
    return new JsonObject("""
      {"name": "Validate order", "runtime": "http", "url": "https://fn.example.com/validate",
       "headers": {"Authorization": "Bearer abc", "X-Tenant": "acme"}, "timeoutMs": 30000,
       "description": "Checks stock and address"}
      """);
  }

  private static JsonObject worker() {
    return new JsonObject("{\"name\": \"Render PDF\", \"runtime\": \"worker\", \"queue\": \"pdf.render-v2\"}");
  }

  /** {@link #http()} with one field set to a JSON literal ({@code '} for {@code "}). */
  private static List<FieldError> errorsWith(String field, String json) {
    return VALIDATOR.validate(http().put(field, Json.decodeValue(json.replace('\'', '"'))));
  }

  @Test
  @DisplayName("a complete http function and a minimal worker function are valid")
  void validFunctions() {
    assertThat(VALIDATOR.validate(http())).isEmpty();
    assertThat(VALIDATOR.validate(worker())).isEmpty();
  }

  @Test
  @DisplayName("runtime defaults to http, which needs a url")
  void runtimeDefaultsToHttp() {
    assertThat(VALIDATOR.validate(new JsonObject().put("name", "f").put("url", "http://fn.local/"))).isEmpty();
    assertThat(VALIDATOR.validate(new JsonObject().put("name", "f")))
      .containsExactly(new FieldError("url", "required"));
    assertThat(VALIDATOR.validate(new JsonObject().put("name", "f").putNull("runtime")))
      .containsExactly(new FieldError("url", "required"));
  }

  static Stream<Arguments> invalidFields() {
    return Stream.of(
      arguments("name", "null", "name", "required"),
      arguments("name", "'  '", "name", "must not be blank"),
      arguments("name", "['x']", "name", "must be a string"),
      arguments("name", "'" + "n".repeat(201) + "'", "name", "must be at most 200 characters"),
      arguments("description", "7", "description", "must be a string"),
      arguments("description", "'" + "d".repeat(4001) + "'", "description", "must be at most 4000 characters"),
      arguments("runtime", "'lambda'", "runtime", "must be one of: http, worker"),
      arguments("runtime", "true", "runtime", "must be one of: http, worker"),
      arguments("url", "null", "url", "required"),
      arguments("url", "42", "url", "must be a string"),
      arguments("url", "'fn.example.com/validate'", "url", "must be an absolute http or https URL"),
      arguments("url", "'ftp://fn.example.com/'", "url", "must be an absolute http or https URL"),
      arguments("url", "'http://fn example.com/'", "url", "must be a valid URL: Illegal character in authority"),
      arguments("url", "'https:///validate'", "url", "must include a valid host name"),
      arguments("url", "'http://169.254.169.254/latest'", "url",
        "must not point at host '169.254.169.254': it is a link-local address"),
      arguments("url", "'http://metadata.google.internal/'", "url",
        "must not point at host 'metadata.google.internal': it is a cloud metadata endpoint"),
      arguments("url", "'https://user:pw@fn.example.com/'", "url",
        "must not contain credentials (user:password@); send them in headers"),
      arguments("url", "'https://fn.example.com/" + "p".repeat(2030) + "'", "url", "must be at most 2048 characters"),
      arguments("timeoutMs", "0", "timeoutMs", "must be between 1 and 3600000"),
      arguments("timeoutMs", "3600001", "timeoutMs", "must be between 1 and 3600000"),
      arguments("timeoutMs", "'30s'", "timeoutMs", "must be an integer"));
  }

  static Stream<Arguments> headerErrors() {
    return Stream.of(
      arguments("headers", "'Authorization: x'", "headers", "must be an object"),
      arguments("headers", "[]", "headers", "must be an object"),
      arguments("headers", "{'Bad Header': 'x'}", "headers.Bad Header",
        "is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)"),
      arguments("headers", "{'X-Ünicode': 'x'}", "headers.X-Ünicode",
        "is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)"),
      arguments("headers", "{'': 'x'}", "headers.",
        "is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)"),
      arguments("headers", "{'Host': 'evil.example.com'}", "headers.Host",
        "is set by the orchestrator and cannot be overridden"),
      arguments("headers", "{'idempotency-key': 'k'}", "headers.idempotency-key",
        "is set by the orchestrator and cannot be overridden"),
      arguments("headers", "{'X-Orchestration-Signature': 's'}", "headers.X-Orchestration-Signature",
        "is set by the orchestrator and cannot be overridden"),
      arguments("headers", "{'X-Key': 'a', 'x-key': 'b'}", "headers.x-key", "duplicates header 'X-Key'"),
      arguments("headers", "{'X-Key': 5}", "headers.X-Key", "must be a string"),
      arguments("headers", "{'X-Key': null}", "headers.X-Key", "must be a string"),
      arguments("headers", "{'X-Key': 'a\\r\\nX-Injected: 1'}", "headers.X-Key",
        "must not contain line breaks or other control characters"),
      arguments("headers", "{'X-Key': 'a\\u0000b'}", "headers.X-Key",
        "must not contain line breaks or other control characters"),
      arguments("headers", "{'X-Key': '" + "v".repeat(4097) + "'}", "headers.X-Key",
        "must be at most 4096 characters"));
  }

  @ParameterizedTest(name = "{0} = {1} → {2}: {3}")
  @MethodSource({"invalidFields", "headerErrors"})
  @DisplayName("each function rule reports exactly one error at the offending field")
  void invalidField(String field, String json, String path, String message) {
    assertThat(errorsWith(field, json)).containsExactly(new FieldError(path, message));
  }

  @Test
  @DisplayName("header values may hold tabs and 4096 characters, and names any token character")
  void headerLimits() {
    JsonObject headers = new JsonObject().put("X-Long", "v".repeat(4096)).put("X-Tab", "a\tb")
      .put("!#$%&'*+-.^_`|~09azAZ", "ok");
    assertThat(VALIDATOR.validate(http().put("headers", headers))).isEmpty();
  }

  @Test
  @DisplayName("at most 50 headers")
  void headerCount() {
    JsonObject headers = new JsonObject();
    for (int i = 0; i < 50; i++) {
      headers.put("X-H" + i, "v");
    }
    assertThat(VALIDATOR.validate(http().put("headers", headers))).isEmpty();
    headers.put("X-H50", "v");
    assertThat(VALIDATOR.validate(http().put("headers", headers)))
      .containsExactly(new FieldError("headers", "must have at most 50 entries"));
  }

  @ParameterizedTest(name = "queue \"{0}\"")
  @ValueSource(strings = {"", "pdf render", "pdf/render", "ünï"})
  @DisplayName("a worker queue is 1 to 64 letters, digits, '.', '_' or '-'")
  void queueFormat(String queue) {
    assertThat(VALIDATOR.validate(worker().put("queue", queue)))
      .containsExactly(new FieldError("queue", "must be 1 to 64 letters, digits, '.', '_' or '-'"));
  }

  @Test
  @DisplayName("a worker function needs a queue, not a url, but a url it gives must still be allowed")
  void workerQueueAndUrl() {
    JsonObject noQueue = worker();
    noQueue.remove("queue");
    assertThat(VALIDATOR.validate(noQueue)).containsExactly(new FieldError("queue", "required"));
    assertThat(VALIDATOR.validate(worker().put("queue", "q".repeat(65))))
      .containsExactly(new FieldError("queue", "must be 1 to 64 letters, digits, '.', '_' or '-'"));
    assertThat(VALIDATOR.validate(worker().put("url", "http://[fe80::1]/"))).extracting(FieldError::field)
      .containsExactly("url");
  }

  @Test
  @DisplayName("an allow list from the environment is applied to the url")
  void allowListApplies() {
    FunctionValidator restricted = new FunctionValidator(UrlPolicy.fromAllowList("*.internal.example.com"));
    assertThat(restricted.validate(http().put("url", "https://fn.internal.example.com/x"))).isEmpty();
    assertThat(restricted.validate(http())).containsExactly(new FieldError("url",
      "host 'fn.example.com' is not in the hosts allowed by ORCH_FUNCTION_URL_ALLOW"));
  }

  @Test
  @DisplayName("all problems of a function body are reported together")
  void everythingAtOnce() {
    JsonObject body = new JsonObject().put("name", "").put("url", "http://0xA9FEA9FE/").put("timeoutMs", -1)
      .put("headers", new JsonObject().put("Content-Length", "1").put("X-A", "a\nb"));
    assertThat(VALIDATOR.validate(body)).containsExactly(
      new FieldError("name", "must not be blank"),
      new FieldError("url", "must not point at host '0xa9fea9fe' (169.254.169.254): it is a link-local address"),
      new FieldError("timeoutMs", "must be between 1 and 3600000"),
      new FieldError("headers.Content-Length", "is set by the orchestrator and cannot be overridden"),
      new FieldError("headers.X-A", "must not contain line breaks or other control characters"));
  }

  @Test
  @DisplayName("a null body is reported, not thrown")
  void nullBody() {
    assertThat(VALIDATOR.validate(null)).containsExactly(new FieldError("", "must be a JSON object"));
  }

  @Test
  @DisplayName("200 random mutations of valid function bodies never throw")
  void neverThrows() {
    for (long seed = 1; seed <= 200; seed++) {
      JsonObject body = new RandomJson(seed).mutate(seed % 2 == 0 ? http() : worker());
      assertThatCode(() -> assertThat(VALIDATOR.validate(body)).allSatisfy(e -> assertThat(e.message()).isNotBlank()))
        .as("seed %d: %s", seed, body).doesNotThrowAnyException();
    }
  }
}
