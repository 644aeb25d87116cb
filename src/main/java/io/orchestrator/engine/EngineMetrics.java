package io.orchestrator.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orchestrator.runs.RunStatus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Engine meters: runs started and finished, step durations by type, claim lateness of due runs. */
public final class EngineMetrics {

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> stepTimers = new ConcurrentHashMap<>();
  private final Timer wakeLateness;

  public EngineMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.wakeLateness = Timer.builder("orchestrator.wakeup.lateness")
      .description("How late a due run (delay, backoff) was claimed after its due time")
      .publishPercentileHistogram().register(registry);
  }

  public void runStarted(String triggerType) {
    counters.computeIfAbsent("started:" + triggerType, k -> Counter.builder("orchestrator.runs.started")
      .tag("triggerType", triggerType).register(registry)).increment();
  }

  public void runFinished(RunStatus status) {
    counters.computeIfAbsent("finished:" + status.wire(), k -> Counter.builder("orchestrator.runs.finished")
      .tag("status", status.wire()).register(registry)).increment();
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
