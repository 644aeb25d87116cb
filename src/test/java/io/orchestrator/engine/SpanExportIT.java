package io.orchestrator.engine;

import static io.orchestrator.engine.RunTestSupport.awaitStatus;
import static io.orchestrator.engine.RunTestSupport.compute;
import static io.orchestrator.engine.RunTestSupport.createFunction;
import static io.orchestrator.engine.RunTestSupport.createOrchestration;
import static io.orchestrator.engine.RunTestSupport.delay;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.orchestrator.common.TraceParent;
import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.FunctionServer;
import io.orchestrator.fixtures.FunctionServer.Answer;
import io.orchestrator.fixtures.FunctionServer.Call;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Span export (DESIGN.md §9 "Trace context"): with {@code OTEL_EXPORTER_OTLP_ENDPOINT} set, the service sends its
 * run, step and attempt spans over OTLP/HTTP (protobuf) to a small receiver started by the test, in the run's trace,
 * parented run → step → attempt, each attempt's span id the one its function received.
 */
class SpanExportIT {

  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String CALLER_SPAN = "b7ad6b7169203331";

  private static Vertx receiverVertx;
  private static HttpServer receiver;
  private static final List<Span> SPANS = new CopyOnWriteArrayList<>();
  private static final List<String> SERVICE_NAMES = new CopyOnWriteArrayList<>();
  private static TestApp app;
  private static FunctionServer functions;

  @BeforeAll
  static void start() {
    receiverVertx = Vertx.vertx();
    receiver = TestApp.await(receiverVertx.createHttpServer().requestHandler(request -> {
      if (request.method() != io.vertx.core.http.HttpMethod.POST || !"/v1/traces".equals(request.path())) {
        request.response().setStatusCode(404).end();
        return;
      }
      request.body().onSuccess(body -> {
        try {
          ExportTraceServiceRequest export = ExportTraceServiceRequest.parseFrom(body.getBytes());
          export.getResourceSpansList().forEach(resource -> {
            resource.getResource().getAttributesList().stream().filter(a -> a.getKey().equals("service.name"))
              .forEach(a -> SERVICE_NAMES.add(a.getValue().getStringValue()));
            resource.getScopeSpansList().forEach(scope -> SPANS.addAll(scope.getSpansList()));
          });
          request.response().putHeader("Content-Type", "application/x-protobuf").end(Buffer.buffer());
        } catch (Exception e) {
          request.response().setStatusCode(400).end();
        }
      });
    }).listen(0, "127.0.0.1"));
    app = TestApp.start(Map.of("ORCH_ROLES", "api,worker",
      "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + receiver.actualPort(),
      "OTEL_SERVICE_NAME", "orchestrator-under-test"));
    functions = FunctionServer.start();
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (functions != null) {
      functions.close();
    }
    if (receiverVertx != null) {
      receiverVertx.close();
    }
  }

  @Test
  @DisplayName("a traced run exports its run, step and attempt spans, parented run → step → attempt, in its trace")
  void exportsRunStepAndAttemptSpans() {
    ApiClient client = app.client(TestApp.randomWorkspace());
    String fn = client.workspace + "-a";
    functions.script(fn).then(Answer.status(500, new JsonObject())).always(Answer.json(new JsonObject()));
    String orch = createOrchestration(client, "exported", compute("a",
      createFunction(client, "a", functions.url(fn)).getString("id"), null)
      .put("retry", new JsonObject().put("maxAttempts", 2).put("backoffMs", 10).put("backoffMultiplier", 1)));
    Reply triggered = client.send(HttpMethod.POST, "/orchestrations/" + orch + "/trigger", new JsonObject(),
      MultiMap.caseInsensitiveMultiMap().add("traceparent", "00-" + TRACE + "-" + CALLER_SPAN + "-01"));
    assertThat(triggered.status()).as(triggered.body()).isEqualTo(201);
    String runId = triggered.json().getString("id");
    awaitStatus(client, orch, runId, "completed");

    List<Span> spans = awaitSpans(runId, 5, Duration.ofSeconds(20));

    Map<String, List<Span>> byName = spans.stream().collect(Collectors.groupingBy(Span::getName));
    assertThat(byName.keySet()).containsExactlyInAnyOrder("run", "step a", "attempt a");
    assertThat(spans).allSatisfy(span -> assertThat(hex(span.getTraceId().toByteArray())).isEqualTo(TRACE));
    Span run = byName.get("run").get(0);
    assertThat(byName.get("run")).hasSize(1);
    assertThat(hex(run.getSpanId().toByteArray())).isEqualTo(TraceParent.runSpanId(runId));
    assertThat(hex(run.getParentSpanId().toByteArray())).isEqualTo(CALLER_SPAN);
    assertThat(attribute(run, "orchestrator.outcome")).isEqualTo("completed");
    assertThat(attribute(run, "orchestrator.orchestration.id")).isEqualTo(orch);
    assertThat(run.getEndTimeUnixNano()).isGreaterThan(run.getStartTimeUnixNano());

    List<Span> steps = byName.get("step a");
    assertThat(steps).hasSize(2).allSatisfy(step ->
      assertThat(hex(step.getParentSpanId().toByteArray())).isEqualTo(hex(run.getSpanId().toByteArray())));
    assertThat(steps).extracting(step -> attribute(step, "orchestrator.outcome"))
      .containsExactlyInAnyOrder("retry", "completed");
    List<String> stepIds = steps.stream().map(s -> hex(s.getSpanId().toByteArray())).toList();

    List<Span> attempts = byName.get("attempt a");
    assertThat(attempts).hasSize(2).allSatisfy(attempt -> {
      assertThat(hex(attempt.getParentSpanId().toByteArray())).isIn(stepIds);
      assertThat(attempt.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    });
    assertThat(attempts).extracting(a -> attribute(a, "orchestrator.attempt")).containsExactlyInAnyOrder("1", "2");
    assertThat(attempts).extracting(a -> attribute(a, "orchestrator.outcome"))
      .containsExactlyInAnyOrder("http_500", "completed");
    List<String> sentSpanIds = functions.calls(fn).stream()
      .map(call -> TraceParent.parse(call.header("traceparent")).orElseThrow().parentId()).toList();
    assertThat(attempts).extracting(a -> hex(a.getSpanId().toByteArray()))
      .containsExactlyInAnyOrderElementsOf(sentSpanIds);
    assertThat(SERVICE_NAMES).contains("orchestrator-under-test");
  }

  @Test
  @DisplayName("a run cancelled while it waits exports its run span (outcome cancelled) in a new trace of its own")
  void cancelledRunExportsItsSpan() {
    ApiClient client = app.client(TestApp.randomWorkspace());
    String orch = createOrchestration(client, "cancelled", delay("wait", 3_600_000, null));
    String runId = RunTestSupport.trigger(client, orch, new JsonObject());
    awaitStatus(client, orch, runId, "waiting");

    Reply cancelled = client.post(RunTestSupport.runPath(orch, runId) + "/cancel", null);

    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    String traceId = cancelled.json().getString("traceId");
    List<Span> spans = awaitSpans(runId, 2, Duration.ofSeconds(20));
    assertThat(spans).extracting(Span::getName).containsExactlyInAnyOrder("step wait", "run");
    Span run = spans.stream().filter(s -> s.getName().equals("run")).findFirst().orElseThrow();
    assertThat(attribute(run, "orchestrator.outcome")).isEqualTo("cancelled");
    assertThat(hex(run.getTraceId().toByteArray())).isEqualTo(traceId);
    assertThat(run.getParentSpanId().isEmpty()).as("a new trace's run span is its root").isTrue();
  }

  private static List<Span> awaitSpans(String runId, int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Span> ofRun = SPANS.stream().filter(s -> runId.equals(attribute(s, "orchestrator.run.id"))).toList();
      if (ofRun.size() >= count || System.nanoTime() > deadline) {
        return ofRun;
      }
      RunTestSupport.sleep(100);
    }
  }

  private static String attribute(Span span, String key) {
    for (KeyValue kv : span.getAttributesList()) {
      if (kv.getKey().equals(key)) {
        return kv.getValue().hasIntValue() ? Long.toString(kv.getValue().getIntValue())
          : kv.getValue().getStringValue();
      }
    }
    return null;
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
