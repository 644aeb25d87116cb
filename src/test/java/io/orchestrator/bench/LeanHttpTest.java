package io.orchestrator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load generators' lean HTTP client against an in-process HTTP server and a raw TCP one. */
class LeanHttpTest {

  private Vertx vertx;
  private Context context;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void sendsTheRequestAndReadsStatusAndBodyOnKeptAliveConnections() throws Exception {
    List<String> seen = new ArrayList<>();
    List<Object> connections = new ArrayList<>();
    int port = vertx.createHttpServer()
      .connectionHandler(connections::add)
      .requestHandler(req -> req.body().onSuccess(body -> {
        seen.add(req.method() + " " + req.uri() + " " + req.getHeader("Authorization") + " "
          + req.getHeader("Content-Type") + " " + body);
        req.response().setStatusCode(201).putHeader("Content-Type", "application/json")
          .end("{\"id\":\"run_" + seen.size() + "\",\"status\":\"pending\"}");
      }))
      .listen(0).await(10, TimeUnit.SECONDS).actualPort();
    LeanHttp http = onContext(() -> new LeanHttp(vertx, "Bearer t0ken"));

    for (int i = 1; i <= 3; i++) {
      int n = i;
      LeanHttp.Response response = onContext(() -> http.postJson(port, "/x/trigger", Buffer.buffer("{\"n\":" + n
        + "}"))).await(10, TimeUnit.SECONDS);
      assertThat(response.status()).isEqualTo(201);
      assertThat(LeanHttp.runId(response.body())).isEqualTo("run_" + i);
    }

    assertThat(seen).containsExactly(
      "POST /x/trigger Bearer t0ken application/json {\"n\":1}",
      "POST /x/trigger Bearer t0ken application/json {\"n\":2}",
      "POST /x/trigger Bearer t0ken application/json {\"n\":3}");
    assertThat(connections).hasSize(1);
  }

  @Test
  void opensOneConnectionPerRequestInFlight() throws Exception {
    List<Object> connections = new ArrayList<>();
    int port = vertx.createHttpServer()
      .connectionHandler(connections::add)
      .requestHandler(req -> vertx.setTimer(50, t -> req.response().setStatusCode(503)
        .end("{\"error\":\"unavailable\"}")))
      .listen(0).await(10, TimeUnit.SECONDS).actualPort();
    LeanHttp http = onContext(() -> new LeanHttp(vertx, "Bearer t"));

    List<LeanHttp.Response> answers = onContext(() -> Future.all(List.of(
      http.postJson(port, "/a", Buffer.buffer("{}")), http.postJson(port, "/a", Buffer.buffer("{}")),
      http.postJson(port, "/a", Buffer.buffer("{}"))))).await(10, TimeUnit.SECONDS).list();

    assertThat(answers).extracting(LeanHttp.Response::status).containsExactly(503, 503, 503);
    assertThat(answers.get(0).body().toString()).isEqualTo("{\"error\":\"unavailable\"}");
    assertThat(connections).hasSize(3);
  }

  @Test
  void readsAnAnswerSplitAcrossPacketsWithHeadersInAnyCase() throws Exception {
    NetServer server = vertx.createNetServer().connectHandler(socket -> socket.handler(request -> {
      socket.write("HTTP/1.1 201 Created\r\nconTent-LENGTH: 18\r");
      vertx.setTimer(20, t -> socket.write("\n\r\n{\"id\":\"run_a\",\""));
      vertx.setTimer(40, t -> socket.write("x\"}"));
    }));
    int port = server.listen(0).await(10, TimeUnit.SECONDS).actualPort();
    LeanHttp http = onContext(() -> new LeanHttp(vertx, "Bearer t"));

    LeanHttp.Response response = onContext(() -> http.postJson(port, "/a", Buffer.buffer("{}")))
      .await(10, TimeUnit.SECONDS);

    assertThat(response.status()).isEqualTo(201);
    assertThat(response.body().toString()).isEqualTo("{\"id\":\"run_a\",\"x\"}");
  }

  @Test
  void failsWhatAConnectionCarriesWhenTheServerClosesItOrAnswersChunked() throws Exception {
    NetServer closing = vertx.createNetServer().connectHandler(socket -> socket.handler(request -> socket.close()));
    NetServer chunked = vertx.createNetServer().connectHandler(socket -> socket.handler(request -> socket.write(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")));
    int closingPort = closing.listen(0).await(10, TimeUnit.SECONDS).actualPort();
    int chunkedPort = chunked.listen(0).await(10, TimeUnit.SECONDS).actualPort();
    LeanHttp http = onContext(() -> new LeanHttp(vertx, "Bearer t"));

    Throwable closed = failure(onContext(() -> http.postJson(closingPort, "/a", Buffer.buffer("{}"))));
    Throwable unread = failure(onContext(() -> http.postJson(chunkedPort, "/a", Buffer.buffer("{}"))));

    assertThat(closed).hasMessageContaining("closed");
    assertThat(unread).hasMessageContaining("without Content-Length");
  }

  @Test
  void readsTheRunIdOffTheFirstFieldOrFromTheParsedBody() {
    assertThat(LeanHttp.runId(Buffer.buffer("{\"id\":\"run_1\",\"status\":\"pending\"}"))).isEqualTo("run_1");
    assertThat(LeanHttp.runId(Buffer.buffer("{ \"status\":\"pending\", \"id\": \"run_2\"}"))).isEqualTo("run_2");
    assertThat(LeanHttp.runId(Buffer.buffer("{\"status\":\"pending\"}"))).isNull();
    assertThat(LeanHttp.runId(Buffer.buffer("not json"))).isNull();
    assertThat(LeanHttp.runId(Buffer.buffer("{\"id\":\"unterminated"))).isNull();
  }

  private static Throwable failure(Future<?> future) throws Exception {
    try {
      future.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("expected a failure, got " + future.result());
  }

  /** Runs {@code call} on the test's one context, as the load generators do, and returns what it returned. */
  private <T> T onContext(Callable<T> call) throws Exception {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> {
      try {
        result.complete(call.call());
      } catch (Exception e) {
        result.fail(e);
      }
    });
    return result.future().await(10, TimeUnit.SECONDS);
  }
}
