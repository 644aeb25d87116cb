package io.orchestrator.bulk;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Bulk counters: {@code orchestrator_bulk_runs_total{action,outcome}} (runs acted on, counted when their batch is
 * recorded), {@code orchestrator_bulk_operations_total{action,event}} (created, completed, and resumed: taken over
 * from an instance that stopped holding it) and {@code orchestrator_bulk_batch_seconds{action}} (one batch's
 * actions and bookkeeping).
 */
public final class BulkMeters {

  private final MeterRegistry registry;

  public BulkMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  void created(BulkAction action) {
    operation(action, "created");
  }

  void completed(BulkAction action) {
    operation(action, "completed");
  }

  void resumed(BulkAction action) {
    operation(action, "resumed");
  }

  void counted(BulkAction action, Tally tally, Duration took) {
    runs(action, Outcome.SUCCEEDED, tally.succeeded());
    runs(action, Outcome.SKIPPED, tally.skipped());
    runs(action, Outcome.FAILED, tally.failed());
    Timer.builder("orchestrator.bulk.batch").description("Duration of one batch of a bulk operation")
      .tag("action", action.wire()).register(registry).record(took);
  }

  private void runs(BulkAction action, Outcome outcome, int count) {
    Counter.builder("orchestrator.bulk.runs").description("Runs acted on by bulk operations, by action and outcome")
      .tag("action", action.wire()).tag("outcome", outcome.wire()).register(registry).increment(count);
  }

  private void operation(BulkAction action, String event) {
    Counter.builder("orchestrator.bulk.operations").description("Bulk operations created, completed and resumed")
      .tag("action", action.wire()).tag("event", event).register(registry).increment();
  }
}
