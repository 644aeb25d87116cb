package io.orchestrator.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.common.TraceParent;
import io.orchestrator.runs.NewRun;
import io.orchestrator.runs.Run;
import io.orchestrator.runs.RunJson;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How a run's trace context is stored: in the Redis hash only when a caller gave one, and in the history. */
class TraceFieldsTest {

  private static final String RUN_ID = "run_01jh5v2k8q3w9x7c4b6n1m0p2r";
  private static final TraceParent CALLER = TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")
    .orElseThrow();

  private static NewRun newRun(TraceParent parent, String state) {
    return new NewRun(RUN_ID, "ws", "orch_1", 1, "manual", null, null, null, "corr_1", "a", null, null, null, parent,
      state);
  }

  private static Map<String, String> hash(List<String> fields) {
    Map<String, String> hash = new HashMap<>();
    for (int i = 0; i < fields.size(); i += 2) {
      hash.put(fields.get(i), fields.get(i + 1));
    }
    return hash;
  }

  @Test
  @DisplayName("a run without a caller's trace stores no trace field; its trace id derives from its id")
  void untracedRunStoresNothing() {
    Map<String, String> hash = hash(RunHashCodec.encode(newRun(null, null), 1_000));

    assertThat(hash).doesNotContainKeys("traceparent", "tracestate");
    Run run = RunHashCodec.decode(hash);
    assertThat(run.traceParent()).isNull();
    assertThat(run.traceId()).isEqualTo(TraceParent.traceIdOfRun(RUN_ID)).matches("[0-9a-f]{32}");
    assertThat(run.traceFlags()).isEqualTo(TraceParent.SAMPLED);
    assertThat(RunJson.details(run, Map.of()).getString("traceId")).isEqualTo(run.traceId());
  }

  @Test
  @DisplayName("a caller's traceparent and tracestate survive the hash, the history and the history's way back")
  void tracedRunRoundTrips() {
    Map<String, String> hash = hash(RunHashCodec.encode(newRun(CALLER, "k=v"), 1_000));

    assertThat(hash).containsEntry("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")
      .containsEntry("tracestate", "k=v");
    Run run = RunHashCodec.decode(hash);
    assertThat(run.traceParent()).isEqualTo(CALLER);
    assertThat(run.traceState()).isEqualTo("k=v");
    assertThat(run.traceId()).isEqualTo(CALLER.traceId());
    assertThat(run.trace().traceparent("1111111111111111"))
      .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-1111111111111111-00");

    Run fromHistory = RunJson.fromHistory(RunJson.toHistory(run));
    assertThat(fromHistory.traceParent()).isEqualTo(CALLER);
    assertThat(fromHistory.traceState()).isEqualTo("k=v");
    Run backInRedis = RunHashCodec.decode(hash(RunHashCodec.encode(fromHistory)));
    assertThat(backInRedis.traceId()).isEqualTo(CALLER.traceId());
    assertThat(backInRedis.traceState()).isEqualTo("k=v");
  }
}
