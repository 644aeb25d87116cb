package io.orchestrator.functions;

import io.orchestrator.common.crypto.StripeSigner;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import java.time.Clock;
import java.util.concurrent.TimeoutException;

/**
 * The {@code http} runtime: POSTs the call's JSON to the function's URL with its headers, an Idempotency-Key and
 * an {@code X-Orchestration-Signature} (Stripe's scheme keyed with the function's signing secret), and the run's
 * W3C {@code traceparent} (with {@code tracestate} when the run has one). A 2xx JSON
 * response of at most {@code maxResponseBytes} is the output (204 No Content: an output of {}); anything else,
 * an empty 200 included, is a failed attempt.
 */
public final class HttpFunctionInvoker implements FunctionInvoker {

  private static final int MAX_MESSAGE = 300;
  private static final int NO_CONTENT = 204;

  private final HttpClient client;
  private final FunctionTargets targets;
  private final Clock clock;
  private final int maxResponseBytes;

  public HttpFunctionInvoker(HttpClient client, UrlPolicy urlPolicy, Clock clock, int maxResponseBytes) {
    this.client = client;
    this.targets = new FunctionTargets(urlPolicy);
    this.clock = clock;
    this.maxResponseBytes = maxResponseBytes;
  }

  @Override
  public Future<InvocationResult> invoke(FunctionCall call) {
    FunctionDef function = call.function();
    FunctionTargets.Target target = targets.of(function.url());
    if (target.problem() != null) {
      return Future.succeededFuture(new InvocationResult.Failure("url_not_allowed", target.problem()));
    }
    Buffer body = call.payload().toBuffer();
    RequestOptions request = target.applyTo(new RequestOptions().setMethod(HttpMethod.POST))
      .putHeader("Content-Type", "application/json")
      .putHeader("User-Agent", "orchestrator")
      .putHeader("Idempotency-Key", call.idempotencyKey())
      .putHeader(StripeSigner.OUTGOING_HEADER,
        StripeSigner.header(function.signingSecret(), body.getBytes(), clock.millis() / 1000));
    if (call.traceparent() != null) {
      request.putHeader("traceparent", call.traceparent());
      if (call.tracestate() != null) {
        request.putHeader("tracestate", call.tracestate());
      }
    }
    function.headers().forEach(h -> request.putHeader(h.getKey(), String.valueOf(h.getValue())));
    return new HttpAttempt(client, request, body, maxResponseBytes).send(call.timeoutMs())
      .map(this::toResult)
      .otherwise(HttpFunctionInvoker::toFailure);
  }

  private InvocationResult toResult(HttpAttempt.Answer answer) {
    int status = answer.status();
    if (status < 200 || status > 299) {
      return new InvocationResult.Failure("http_" + status, "function answered " + status + snippet(answer));
    }
    if (answer.tooLarge()) {
      return new InvocationResult.Failure("response_too_large",
        "function answered more than " + maxResponseBytes + " bytes");
    }
    Buffer body = answer.body();
    if (status == NO_CONTENT) {
      return new InvocationResult.Success(null);
    }
    try {
      return new InvocationResult.Success(Json.decodeValue(body));
    } catch (DecodeException e) {
      return new InvocationResult.Failure("invalid_response", "function response is not valid JSON");
    }
  }

  private static InvocationResult toFailure(Throwable error) {
    if (error instanceof TimeoutException) {
      return new InvocationResult.Failure("timeout", "function did not answer in time");
    }
    return new InvocationResult.Failure("connection_error", "cannot reach function: " + error.getMessage());
  }

  private static String snippet(HttpAttempt.Answer answer) {
    if (answer.tooLarge()) {
      return "";
    }
    String body = answer.body().toString();
    if (body.isBlank()) {
      return "";
    }
    String text = body.length() > MAX_MESSAGE ? body.substring(0, MAX_MESSAGE) + "…" : body;
    return ": " + text;
  }
}
