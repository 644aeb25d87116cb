package io.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@code healthcheck} sub-command against a real HTTP server of the JDK on 127.0.0.1 standing in for the
 * service, answering as each test says (HealthCheckCommandIT asks the real service).
 */
@DisplayName("The healthcheck sub-command")
class HealthCheckCommandTest {

  private static final Duration TIMEOUT = HealthCheckCommand.TIMEOUT;

  private final List<String> paths = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private HttpServer server;

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  @DisplayName("200 from /health/live on ORCH_HTTP_PORT (host 0.0.0.0 → loopback) exits 0 and prints nothing")
  void healthy() throws IOException {
    int port = serve(200, false);

    Output out = run(Map.of("ORCH_HTTP_PORT", Integer.toString(port)), TIMEOUT);

    assertThat(out.code).isZero();
    assertThat(out.err).isEmpty();
    assertThat(paths).containsExactly("/health/live");
  }

  @Test
  @DisplayName("a status other than 200 exits 1 naming it")
  void unhealthy() throws IOException {
    int port = serve(503, false);

    Output out = run(Map.of("ORCH_HTTP_PORT", Integer.toString(port), "ORCH_HTTP_HOST", "127.0.0.1"), TIMEOUT);

    assertThat(out.code).isEqualTo(1);
    assertThat(out.err).contains("http://127.0.0.1:" + port + "/health/live answered 503");
  }

  @Test
  @DisplayName("no answer within the timeout exits 1, after about the timeout")
  void silent() throws IOException {
    int port = serve(200, true);
    long started = System.nanoTime();

    Output out = run(Map.of("ORCH_HTTP_PORT", Integer.toString(port)), Duration.ofMillis(500));

    assertThat(out.code).isEqualTo(1);
    assertThat(out.err).contains("timed out");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("well before the server's 10 s hold ends")
      .isLessThan(Duration.ofSeconds(5));
  }

  @Test
  @DisplayName("nothing listening exits 1")
  void refused() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }

    Output out = run(Map.of("ORCH_HTTP_PORT", Integer.toString(port)), TIMEOUT);

    assertThat(out.code).isEqualTo(1);
    assertThat(out.err).contains("ConnectException");
  }

  @Test
  @DisplayName("an instance without the api role is asked as well (it serves health on its port)")
  void noApiRole() throws IOException {
    int port = serve(503, false);

    Output out = run(Map.of("ORCH_HTTP_PORT", Integer.toString(port), "ORCH_ROLES", "worker,scheduler"), TIMEOUT);

    assertThat(out.code).isEqualTo(1);
    assertThat(paths).containsExactly("/health/live");
  }

  @Test
  @DisplayName("port 0 or a bad port exits 1 with the reason")
  void badPort() {
    Output any = run(Map.of("ORCH_HTTP_PORT", "0"), TIMEOUT);
    Output bad = run(Map.of("ORCH_HTTP_PORT", "http"), TIMEOUT);

    assertThat(any.code).isEqualTo(1);
    assertThat(any.err).contains("ORCH_HTTP_PORT=0");
    assertThat(bad.code).isEqualTo(1);
    assertThat(bad.err).contains("configuration error: ORCH_HTTP_PORT must be an integer");
  }

  /** Serves {@code status} on 127.0.0.1 (or holds every request until the test ends); returns the port. */
  private int serve(int status, boolean hold) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", exchange -> {
      paths.add(exchange.getRequestURI().getPath());
      if (hold) {
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
    return server.getAddress().getPort();
  }

  private record Output(int code, String err) {
  }

  private static Output run(Map<String, String> env, Duration timeout) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = HealthCheckCommand.run(new HashMap<>(env), new PrintStream(err, true, StandardCharsets.UTF_8),
      timeout);
    return new Output(code, err.toString(StandardCharsets.UTF_8));
  }
}
