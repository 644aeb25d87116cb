package io.orchestrator.engine;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orchestrator.runs.RunMeters;
import io.orchestrator.runs.RunStatus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Engine meters: runs finished, step durations by type, claim lateness of due runs. */
public final class EngineMetrics {

  private final MeterRegistry registry;
  private final RunMeters runs;
  private final Map<String, Timer> stepTimers = new ConcurrentHashMap<>();
  private final Timer wakeLateness;

  public EngineMetrics(MeterRegistry registry, RunMeters runs) {
    this.registry = registry;
    this.runs = runs;
    this.wakeLateness = Timer.builder("orchestrator.wakeup.lateness")
      .description("How long after its due time a run was claimed, or completed on waking: delays, retry "
        + "backoffs, delayed starts, leases taken back")
      .publishPercentileHistogram().register(registry);
  }

  public void runFinished(RunStatus status) {
    runs.finished(status);
  }

  void stepExecuted(String type, long nanos) {
    stepTimers.computeIfAbsent(type, t -> Timer.builder("orchestrator.step.duration").tag("type", t)
      .publishPercentileHistogram().register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  void wokeLate(long millis) {
    wakeLateness.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
  }

  public MeterRegistry registry() {
    return registry;
  }
}
