package io.orchestrator.functions;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP request to a function, bounded as a whole: the deadline covers waiting for a pooled connection,
 * connecting, sending and reading the full answer, and the answer's body is read up to a size limit. An attempt
 * given up (deadline passed, body over the limit) resets its request, which closes an HTTP/1.1 connection, so a
 * function that keeps trickling bytes does not hold a pooled connection after its caller stopped waiting, and an
 * oversized answer is not drained into memory.
 *
 * <p>Single use. Every callback runs on the context that called {@link #send}, so the fields need no locking.
 */
final class HttpAttempt {

  /** The function's answer; {@code body} is what was read, empty when {@code tooLarge}. */
  record Answer(int status, Buffer body, boolean tooLarge) {
  }

  private final HttpClient client;
  private final RequestOptions options;
  private final Buffer body;
  private final int maxResponseBytes;
  private HttpClientRequest request;
  private boolean givenUp;

  HttpAttempt(HttpClient client, RequestOptions options, Buffer body, int maxResponseBytes) {
    this.client = client;
    this.options = options;
    this.body = body;
    this.maxResponseBytes = maxResponseBytes;
  }

  /** Sends the request; fails with a {@link java.util.concurrent.TimeoutException} after {@code timeoutMs}. */
  Future<Answer> send(long timeoutMs) {
    return client.request(options)
      .compose(this::sendOn)
      .compose(this::read)
      .timeout(timeoutMs, TimeUnit.MILLISECONDS)
      .onFailure(error -> giveUp());
  }

  private Future<HttpClientResponse> sendOn(HttpClientRequest obtained) {
    request = obtained;
    if (givenUp) {
      // the deadline passed while the request waited for a connection: it must not go out late
      obtained.reset();
      return Future.failedFuture("attempt given up before it was sent");
    }
    return obtained.send(body);
  }

  private Future<Answer> read(HttpClientResponse response) {
    if (declaredLength(response) > maxResponseBytes) {
      giveUp();
      return Future.succeededFuture(new Answer(response.statusCode(), Buffer.buffer(), true));
    }
    Promise<Answer> answer = Promise.promise();
    Buffer received = Buffer.buffer();
    response.handler(chunk -> {
      if (givenUp) {
        return;
      }
      if (received.length() + chunk.length() > maxResponseBytes) {
        // answered before the reset, which fails the response stream
        answer.tryComplete(new Answer(response.statusCode(), Buffer.buffer(), true));
        giveUp();
        return;
      }
      received.appendBuffer(chunk);
    });
    response.endHandler(v -> answer.tryComplete(new Answer(response.statusCode(), received, false)));
    response.exceptionHandler(answer::tryFail);
    return answer.future();
  }

  private static long declaredLength(HttpClientResponse response) {
    String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Stops the attempt; an in-flight request is reset (its HTTP/1.1 connection closed instead of drained). */
  private void giveUp() {
    if (givenUp) {
      return;
    }
    givenUp = true;
    if (request != null) {
      request.reset();
    }
  }
}
