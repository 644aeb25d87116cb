package io.orchestrator.api;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One Server-Sent Events response: {@code text/event-stream}, events written as {@code id:}/{@code event:}/
 * {@code data:} lines, a comment line every heartbeat so proxies keep it open, closed when the token expires.
 * Everything happens on the context of the request; callers from other threads go through {@link #onContext}.
 */
final class EventStream {

  private final Vertx vertx;
  private final Context context;
  private final HttpServerResponse response;
  private final List<Runnable> onClose = new ArrayList<>();
  private boolean closed;

  private EventStream(Vertx vertx, Context context, HttpServerResponse response) {
    this.vertx = vertx;
    this.context = context;
    this.response = response;
  }

  /** Sends the headers of the stream; it ends by itself at {@code expiresAt} (the token's expiry). */
  static EventStream open(Vertx vertx, HttpServerResponse response, Duration heartbeat, Instant expiresAt,
                          Clock clock) {
    EventStream stream = new EventStream(vertx, vertx.getOrCreateContext(), response);
    response.setStatusCode(200).setChunked(true)
      .putHeader("Content-Type", "text/event-stream; charset=utf-8")
      .putHeader("Cache-Control", "no-store")
      // never compressed: a compressor may hold events back until its buffer fills
      .putHeader("Content-Encoding", "identity")
      .putHeader("X-Accel-Buffering", "no");
    response.write(":\n\n");
    long beat = vertx.setPeriodic(heartbeat.toMillis(), id -> stream.comment());
    long expiry = vertx.setTimer(Math.max(1, expiresAt.toEpochMilli() - clock.millis()), id -> stream.close());
    stream.onClose(() -> {
      vertx.cancelTimer(beat);
      vertx.cancelTimer(expiry);
    });
    response.closeHandler(v -> stream.closed());
    return stream;
  }

  /** Runs {@code task} on the stream's context (watchers call from the event loop of the run events). */
  void onContext(Runnable task) {
    context.runOnContext(v -> task.run());
  }

  /** Something to do once the stream ends, whoever ends it. */
  void onClose(Runnable action) {
    onClose.add(action);
  }

  boolean isClosed() {
    return closed;
  }

  /** Writes one event; {@code id} null for none. {@code data} must be one line (compact JSON is). */
  void send(Long id, String event, String data) {
    if (closed) {
      return;
    }
    StringBuilder text = new StringBuilder(data.length() + 48);
    if (id != null) {
      text.append("id: ").append(id).append('\n');
    }
    text.append("event: ").append(event).append('\n').append("data: ").append(data).append("\n\n");
    response.write(text.toString());
  }

  /** Ends the response. */
  void close() {
    if (!closed) {
      response.end();
      closed();
    }
  }

  private void comment() {
    if (!closed) {
      response.write(":\n\n");
    }
  }

  private void closed() {
    if (!closed) {
      closed = true;
      onClose.forEach(Runnable::run);
    }
  }
}
