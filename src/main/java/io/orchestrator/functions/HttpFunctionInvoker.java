package io.orchestrator.functions;

import io.orchestrator.common.crypto.StripeSigner;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code http} runtime: POSTs the call's JSON to the function's URL with its headers, an Idempotency-Key and
 * an {@code X-Orchestration-Signature} (Stripe's scheme keyed with the function's signing secret). A 2xx JSON
 * response is the output; anything else is a failed attempt.
 */
public final class HttpFunctionInvoker implements FunctionInvoker {

  private static final int MAX_MESSAGE = 300;

  private final WebClient client;
  private final UrlPolicy urlPolicy;
  private final Clock clock;

  public HttpFunctionInvoker(WebClient client, UrlPolicy urlPolicy, Clock clock) {
    this.client = client;
    this.urlPolicy = urlPolicy;
    this.clock = clock;
  }

  @Override
  public Future<InvocationResult> invoke(FunctionCall call) {
    FunctionDef function = call.function();
    String problem = urlPolicy.problem(URI.create(function.url())).orElse(null);
    if (problem != null) {
      return Future.succeededFuture(new InvocationResult.Failure("url_not_allowed", problem));
    }
    Buffer body = call.payload().toBuffer();
    var request = client.postAbs(function.url()).timeout(call.timeoutMs())
      .putHeader("Content-Type", "application/json")
      .putHeader("Idempotency-Key", call.idempotencyKey())
      .putHeader(StripeSigner.OUTGOING_HEADER,
        StripeSigner.header(function.signingSecret(), body.getBytes(), clock.millis() / 1000));
    function.headers().forEach(h -> request.putHeader(h.getKey(), String.valueOf(h.getValue())));
    // the request's own timeout only bounds silence between packets; timeoutMs bounds the whole attempt, so an
    // answer that keeps trickling in past it is a timeout too
    return request.sendBuffer(body)
      .timeout(call.timeoutMs(), TimeUnit.MILLISECONDS)
      .map(HttpFunctionInvoker::toResult)
      .otherwise(HttpFunctionInvoker::toFailure);
  }

  private static InvocationResult toResult(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      return new InvocationResult.Failure("http_" + status,
        "function answered " + status + snippet(response.bodyAsString()));
    }
    Buffer body = response.body();
    if (body == null || body.length() == 0) {
      return new InvocationResult.Success(null);
    }
    try {
      return new InvocationResult.Success(Json.decodeValue(body));
    } catch (DecodeException e) {
      return new InvocationResult.Failure("invalid_response", "function response is not valid JSON");
    }
  }

  private static InvocationResult toFailure(Throwable error) {
    if (error instanceof TimeoutException || error.getClass().getSimpleName().contains("Timeout")) {
      return new InvocationResult.Failure("timeout", "function did not answer in time");
    }
    return new InvocationResult.Failure("connection_error", "cannot reach function: " + error.getMessage());
  }

  private static String snippet(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String text = body.length() > MAX_MESSAGE ? body.substring(0, MAX_MESSAGE) + "…" : body;
    return ": " + text;
  }
}
