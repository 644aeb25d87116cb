package io.orchestrator.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The user function of the benchmarks: answers every POST with {@code 200 {"ok":true}} at once. With recording on
 * it notes the arrival time (epoch ms) of the first call per run id, which is when the run's compute step started.
 */
final class NoopFunctionServer {

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

  private void handle(HttpServerRequest request) {
    long now = System.currentTimeMillis();
    request.body().onSuccess(body -> {
      calls.incrementAndGet();
      if (record) {
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

  /** Standalone: {@code --instances=2}; prints the URL and serves until killed. */
  public static void main(String[] argv) {
    var args = BenchKit.args(argv);
    NoopFunctionServer server = start(BenchKit.vertx(), BenchKit.integer(args, "instances", 2), false);
    BenchKit.out("noop function at %s", server.url());
  }
}
