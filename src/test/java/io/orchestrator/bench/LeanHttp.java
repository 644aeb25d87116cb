package io.orchestrator.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The load generators' HTTP/1.1 client for the one request they send by the thousand: a JSON POST. Each request is
 * written as pre-encoded bytes on a kept-alive connection of its own (one request outstanding per connection, as a
 * pooled HTTP client does; no pipelining), and only the status line, {@code Content-Length} and the body are read
 * back. A general client (vertx-web-client) builds header maps, request and response objects and a future chain per
 * request; on two cores shared with the service under test that cost is taken from the service (measured in
 * {@code docs/performance.md} §18), the way BullMQ's in-process producer does not take it from BullMQ.
 *
 * <p>Not thread-safe: every call, and every connection it opens, runs on the context of the caller, which must be
 * one Vert.x context. Connections grow with the requests in flight and are never closed before the JVM exits;
 * a connection the server closes fails what it carries and leaves the pool.
 */
final class LeanHttp {

  /** An answer: its status and body. */
  record Response(int status, Buffer body) {
  }

  private static final byte[] CRLF2 = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RUN_ID = "{\"id\":\"".getBytes(StandardCharsets.US_ASCII);

  private final NetClient net;
  private final String authorization;
  private final Map<Integer, ArrayDeque<Connection>> idle = new HashMap<>();

  LeanHttp(Vertx vertx, String authorization) {
    this.net = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
    this.authorization = authorization;
  }

  /** Closes every connection. */
  Future<Void> close() {
    return net.close();
  }

  /** POSTs {@code body} as application/json to 127.0.0.1:{@code port}{@code path}. */
  Future<Response> postJson(int port, String path, Buffer body) {
    String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: " + authorization
      + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n";
    Buffer request = Buffer.buffer(head.length() + body.length()).appendString(head, "US-ASCII").appendBuffer(body);
    Connection connection = idle.computeIfAbsent(port, p -> new ArrayDeque<>()).pollFirst();
    if (connection != null) {
      return connection.send(request);
    }
    return net.connect(port, "127.0.0.1").compose(socket -> new Connection(port, socket).send(request));
  }

  /**
   * The run id of a Trigger Run answer: read off its first field ({@code {"id":"…"}}) without parsing the JSON when
   * the service wrote it first, as it does; else from the parsed body; null when it has none.
   */
  static String runId(Buffer body) {
    if (matches(body, 0, RUN_ID, false)) {
      for (int end = RUN_ID.length; end < body.length(); end++) {
        if (body.getByte(end) == '"') {
          return body.getString(RUN_ID.length, end, "US-ASCII");
        }
      }
    }
    try {
      return new JsonObject(body).getString("id");
    } catch (RuntimeException notAnObjectWithAStringId) {
      return null;
    }
  }

  /** One kept-alive connection with at most one request outstanding. */
  private final class Connection {

    private final int port;
    private final NetSocket socket;
    private Buffer received = Buffer.buffer();
    private Promise<Response> outstanding;
    private boolean closed;

    Connection(int port, NetSocket socket) {
      this.port = port;
      this.socket = socket;
      socket.handler(this::received);
      socket.closeHandler(v -> fail(new IllegalStateException("connection closed by the server")));
      socket.exceptionHandler(this::fail);
    }

    Future<Response> send(Buffer request) {
      outstanding = Promise.promise();
      Future<Response> answer = outstanding.future();
      socket.write(request).onFailure(this::fail);
      return answer;
    }

    private void received(Buffer data) {
      received = received.length() == 0 ? data : received.appendBuffer(data);
      int headEnd = indexOf(received, CRLF2, 0);
      if (headEnd < 0) {
        return;
      }
      int bodyStart = headEnd + CRLF2.length;
      int length = contentLength(received, headEnd);
      if (length < 0) {
        fail(new IllegalStateException("answer without Content-Length (chunked answers are not read)"));
        socket.close();
        return;
      }
      if (received.length() < bodyStart + length) {
        return;
      }
      int status = status(received);
      Buffer body = received.getBuffer(bodyStart, bodyStart + length);
      received = received.length() == bodyStart + length ? Buffer.buffer()
        : received.getBuffer(bodyStart + length, received.length());
      Promise<Response> answered = outstanding;
      outstanding = null;
      if (!closed) {
        idle.get(port).addFirst(this);
      }
      answered.tryComplete(new Response(status, body));
    }

    private void fail(Throwable cause) {
      if (!closed) {
        closed = true;
        idle.get(port).remove(this);
      }
      if (outstanding != null) {
        Promise<Response> failed = outstanding;
        outstanding = null;
        failed.tryFail(cause);
      }
    }
  }

  private static int status(Buffer head) {
    // "HTTP/1.1 201 …"
    return (head.getByte(9) - '0') * 100 + (head.getByte(10) - '0') * 10 + (head.getByte(11) - '0');
  }

  /** The Content-Length of a head ending at {@code headEnd}, or -1 when it has none. */
  private static int contentLength(Buffer head, int headEnd) {
    for (int line = 0; line < headEnd; ) {
      int next = lineEnd(head, line, headEnd);
      if (matches(head, line, CONTENT_LENGTH, true)) {
        int value = 0;
        for (int i = line + CONTENT_LENGTH.length; i < next; i++) {
          byte b = head.getByte(i);
          if (b >= '0' && b <= '9') {
            value = value * 10 + (b - '0');
          }
        }
        return value;
      }
      line = next + 2;
    }
    return -1;
  }

  private static int lineEnd(Buffer head, int from, int headEnd) {
    for (int i = from; i < headEnd; i++) {
      if (head.getByte(i) == '\r') {
        return i;
      }
    }
    return headEnd;
  }

  /** Whether {@code buffer} holds {@code expected} at {@code at} (ignoring case: {@code expected} in lower case). */
  private static boolean matches(Buffer buffer, int at, byte[] expected, boolean ignoringCase) {
    if (at + expected.length > buffer.length()) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      byte b = buffer.getByte(at + i);
      if ((ignoringCase ? Character.toLowerCase(b) : b) != expected[i]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(Buffer haystack, byte[] needle, int from) {
    for (int i = from; i + needle.length <= haystack.length(); i++) {
      if (matches(haystack, i, needle, false)) {
        return i;
      }
    }
    return -1;
  }
}
