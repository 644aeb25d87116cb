package io.orchestrator.runs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Run counters: {@code orchestrator_runs_started_total} by trigger type (replays are {@code triggerType="replay"}),
 * {@code orchestrator_runs_finished_total} by final status and {@code orchestrator_runs_redriven_total}. Whoever starts or ends a run counts it here; instances sharing one registry share the meters.
 */
public final class RunMeters {

  private final MeterRegistry registry;
  private final Map<String, Counter> started = new ConcurrentHashMap<>();
  private final Map<RunStatus, Counter> finished = new ConcurrentHashMap<>();

  private final Counter redriven;

  public RunMeters(MeterRegistry registry) {
    this.registry = registry;
    this.redriven = Counter.builder("orchestrator.runs.redriven")
      .description("Failed or cancelled runs redriven").register(registry);
  }

  public void started(String triggerType) {
    started.computeIfAbsent(triggerType, type -> Counter.builder("orchestrator.runs.started")
      .description("Runs created, by trigger type").tag("triggerType", type).register(registry)).increment();
  }

  /** A failed or cancelled run went back to work. */
  public void redriven() {
    redriven.increment();
  }

  public void finished(RunStatus status) {
    finished.computeIfAbsent(status, s -> Counter.builder("orchestrator.runs.finished")
      .description("Runs that reached a final status").tag("status", s.wire()).register(registry)).increment();
  }
}
