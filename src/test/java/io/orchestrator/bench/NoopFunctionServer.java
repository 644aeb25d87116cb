package io.orchestrator.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The user function of the benchmarks: answers every POST with {@code 200 {"ok":true}} at once. With recording on,
 * or for a call to the path {@value #RECORD_PATH}, it notes the arrival time (epoch ms) of the first call per run id
 * (the body's {@code runId}), which is when the run's compute step started. {@code GET} {@value #ARRIVALS_PATH}
 * answers the arrivals noted so far as {@code {"runId": ms, …}} and forgets them: how a bench reads them from a
 * standalone server ({@link #main}) that several load generators share.
 */
final class NoopFunctionServer {

  static final String RECORD_PATH = "/record";
  static final String ARRIVALS_PATH = "/arrivals";
  private static final Buffer OK = Buffer.buffer("{\"ok\":true}");

  final int port;
  final AtomicLong calls = new AtomicLong();
  /** runId → epoch ms of the first call, when recording. */
  final Map<String, Long> arrivals = new ConcurrentHashMap<>();
  private final boolean record;

  private NoopFunctionServer(int port, boolean record) {
    this.port = port;
    this.record = record;
  }

  /** Starts {@code instances} event-loop servers sharing one free port on 127.0.0.1. */
  static NoopFunctionServer start(Vertx vertx, int instances, boolean record) {
    NoopFunctionServer server = new NoopFunctionServer(freePort(), record);
    BenchKit.await(vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return vertx.createHttpServer().requestHandler(server::handle).listen(server.port, "127.0.0.1");
      }
    }, new DeploymentOptions().setInstances(instances)));
    return server;
  }

  String url() {
    return "http://127.0.0.1:" + port + "/noop";
  }

  /** The URL of the same server (any function URL of it) whose calls are recorded. */
  static String recordUrl(String functionUrl) {
    URI u = URI.create(functionUrl);
    return u.getScheme() + "://" + u.getAuthority() + RECORD_PATH;
  }

  /** Reads and clears the arrivals recorded by the server behind {@code functionUrl} (see the class comment). */
  static Map<String, Long> fetchArrivals(Vertx vertx, String functionUrl) {
    URI u = URI.create(functionUrl);
    WebClient client = WebClient.create(vertx);
    try {
      JsonObject body = BenchKit.await(client.get(u.getPort(), u.getHost(), ARRIVALS_PATH).send()).bodyAsJsonObject();
      Map<String, Long> out = new HashMap<>();
      body.forEach(e -> out.put(e.getKey(), ((Number) e.getValue()).longValue()));
      return out;
    } finally {
      client.close();
    }
  }

  private void handle(HttpServerRequest request) {
    long now = System.currentTimeMillis();
    if (request.method() == HttpMethod.GET && request.path().equals(ARRIVALS_PATH)) {
      JsonObject out = new JsonObject();
      for (String id : arrivals.keySet()) {
        Long ms = arrivals.remove(id);
        if (ms != null) {
          out.put(id, ms);
        }
      }
      request.response().putHeader("Content-Type", "application/json").end(out.toBuffer());
      return;
    }
    boolean recording = record || request.path().equals(RECORD_PATH);
    request.body().onSuccess(body -> {
      calls.incrementAndGet();
      if (recording) {
        try {
          arrivals.putIfAbsent(new JsonObject(body).getString("runId"), now);
        } catch (RuntimeException e) {
          // not a function call of the service: answer anyway
        }
      }
      request.response().putHeader("Content-Type", "application/json").end(OK);
    });
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Standalone, shared by several load generators: {@code --instances=2}; prints the URL and serves until killed.
   * Only calls to {@value #RECORD_PATH} are recorded.
   */
  public static void main(String[] argv) {
    var args = BenchKit.args(argv);
    NoopFunctionServer server = start(BenchKit.vertx(), BenchKit.integer(args, "instances", 2), false);
    BenchKit.out("noop function at %s", server.url());
  }
}
