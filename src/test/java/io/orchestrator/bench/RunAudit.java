package io.orchestrator.bench;

import io.orchestrator.bench.BenchKit.Api;
import io.orchestrator.fixtures.FunctionServer.Call;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What became of the acknowledged runs of a compute "a" → delay "wait" → compute "b" orchestration, from Get Run
 * Details and the calls the function received (body {@code runId} and {@code stepId}, header {@code Idempotency-Key}
 * = runId:stepId:execution).
 * <ul>
 *   <li>lost: Get Run Details answered 404 at the end;
 *   <li>stuck: neither completed nor failed by the deadline (including runs whose details could not be read);
 *   <li>doubled: executedSteps repeats a step, or a completed run's executedSteps is not exactly a, wait, b, or
 *       function "a" or "b" was called with more than one distinct Idempotency-Key for the run. Calls repeating a
 *       key (an attempt retried after an outage) are at-least-once delivery as designed and only counted.
 * </ul>
 */
final class RunAudit {

  static final List<String> EXPECTED = List.of("a", "wait", "b");
  private static final int READS_IN_FLIGHT = 200;

  /** Last known state per acknowledged run: a run status, "404", or "http NNN" / "unanswered". */
  final Map<String, String> lastState = new HashMap<>();
  final Map<String, JsonArray> executedSteps = new HashMap<>();
  /** runId → stepId → what the function saw of it. */
  final Map<String, Map<String, StepCalls>> calls = new HashMap<>();
  /** stepId → arrival of every call (epoch ms). */
  private final Map<String, List<Long>> arrivals = new HashMap<>();

  /** Calls of one step of one run. */
  static final class StepCalls {
    final Set<String> keys = new HashSet<>();
    long firstMs = Long.MAX_VALUE;
    long lastMs;
    int count;
  }

  /**
   * Polls Get Run Details (spread over the instances) of every run not yet completed or failed, every 500 ms, until
   * none is left or {@code deadlineMs} (epoch ms) has passed.
   */
  void awaitFinished(Api api, String orchestrationId, Collection<String> runIds, long deadlineMs) {
    Set<String> pending = new LinkedHashSet<>(runIds);
    while (true) {
      for (List<String> chunk : BenchKit.chunks(new ArrayList<>(pending), READS_IN_FLIGHT)) {
        List<Future<HttpResponse<Buffer>>> reads = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
          reads.add(api.send(HttpMethod.GET, api.port(i), "/orchestrations/" + orchestrationId + "/runs/"
            + chunk.get(i), null).otherwise((HttpResponse<Buffer>) null));
        }
        BenchKit.await(Future.join(reads));
        for (int i = 0; i < chunk.size(); i++) {
          if (record(chunk.get(i), reads.get(i).result())) {
            pending.remove(chunk.get(i));
          }
        }
      }
      if (pending.isEmpty() || System.currentTimeMillis() > deadlineMs) {
        return;
      }
      ServiceFleet.sleep(500);
    }
  }

  /** Notes one read; true when the run is completed or failed. */
  private boolean record(String runId, HttpResponse<Buffer> response) {
    if (response == null) {
      lastState.put(runId, "unanswered");
      return false;
    }
    if (response.statusCode() != 200) {
      lastState.put(runId, response.statusCode() == 404 ? "404" : "http " + response.statusCode());
      return false;
    }
    JsonObject run = response.bodyAsJsonObject();
    String status = run.getString("status");
    lastState.put(runId, status);
    executedSteps.put(runId, run.getJsonArray("executedSteps"));
    return "completed".equals(status) || "failed".equals(status);
  }

  void addCalls(List<Call> received) {
    for (Call call : received) {
      JsonObject body = call.json();
      StepCalls step = calls.computeIfAbsent(body.getString("runId"), r -> new HashMap<>())
        .computeIfAbsent(body.getString("stepId"), s -> new StepCalls());
      long at = call.receivedAt().toEpochMilli();
      arrivals.computeIfAbsent(body.getString("stepId"), s -> new ArrayList<>()).add(at);
      step.keys.add(call.idempotencyKey());
      step.firstMs = Math.min(step.firstMs, at);
      step.lastMs = Math.max(step.lastMs, at);
      step.count++;
    }
  }

  /** Arrival times (epoch ms) of every call of step {@code stepId}, any run. */
  List<Long> arrivals(String stepId) {
    return arrivals.getOrDefault(stepId, List.of());
  }

  /** Count per last state: completed, failed, waiting, …, 404. */
  Map<String, Integer> states() {
    Map<String, Integer> out = new TreeMap<>();
    lastState.values().forEach(s -> out.merge(s, 1, Integer::sum));
    return out;
  }

  List<String> lost() {
    return lastState.entrySet().stream().filter(e -> e.getValue().equals("404")).map(Map.Entry::getKey).toList();
  }

  List<String> stuck() {
    return lastState.entrySet().stream().filter(e -> !e.getValue().equals("404")
      && !e.getValue().equals("completed") && !e.getValue().equals("failed")).map(Map.Entry::getKey).toList();
  }

  List<String> doubled() {
    List<String> out = new ArrayList<>();
    lastState.forEach((runId, state) -> {
      JsonArray steps = executedSteps.get(runId);
      boolean repeated = steps != null && new HashSet<>(steps.getList()).size() != steps.size();
      boolean wrong = "completed".equals(state) && (steps == null || !EXPECTED.equals(steps.getList()));
      Map<String, StepCalls> seen = calls.getOrDefault(runId, Map.of());
      boolean twoKeys = seen.values().stream().anyMatch(s -> s.keys.size() > 1);
      if (repeated || wrong || twoKeys) {
        out.add(runId);
      }
    });
    return out;
  }

  /** Calls that repeated a key already seen for their run and step (retried attempts of one execution). */
  long repeatedCalls() {
    return calls.values().stream().flatMap(m -> m.values().stream()).mapToLong(s -> s.count - s.keys.size()).sum();
  }

  /** Runs the function was called for that no 201 acknowledged (a trigger whose answer was lost or not 201). */
  long unacknowledgedRuns() {
    return calls.keySet().stream().filter(r -> !lastState.containsKey(r)).count();
  }

  /**
   * runId → {arrival of its last "a" call, arrival of its first "b" call} (epoch ms), for the runs that reached b:
   * the delay started when the last attempt of "a" answered.
   */
  Map<String, long[]> aThenB() {
    Map<String, long[]> out = new HashMap<>();
    calls.forEach((runId, steps) -> {
      StepCalls a = steps.get("a");
      StepCalls b = steps.get("b");
      if (a != null && b != null && lastState.containsKey(runId)) {
        out.put(runId, new long[] {a.lastMs, b.firstMs});
      }
    });
    return out;
  }
}
