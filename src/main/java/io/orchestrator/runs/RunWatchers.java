package io.orchestrator.runs;

import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The runs this instance's live-progress streams watch: one run, or every run of an orchestration. On a change of a
 * watched run it reads the run once, however many streams watch it, and hands the state to each; changes that
 * arrive while a read is in flight cause one more read after it (states in between may be skipped, the latest never
 * is). When the run events were lost for a while (Redis restarted, say), every watched run is read again, so a run
 * that finished meanwhile still ends its streams. The number of open watches is bounded.
 */
public final class RunWatchers {

  private final Function<String, Future<Optional<Run>>> read;
  private final RunEvents events;
  private final int maxOpen;
  private Future<Void> listening;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<String, Set<Consumer<Run>>> byRun = new ConcurrentHashMap<>();
  private final Map<String, Set<Consumer<Run>>> byOrchestration = new ConcurrentHashMap<>();
  /** Runs being read: false while one read is in flight, true when another change came meanwhile. */
  private final Map<String, Boolean> reading = new ConcurrentHashMap<>();

  /** @param read a run by id, e.g. {@link RunRecords#get(String)} */
  public RunWatchers(Function<String, Future<Optional<Run>>> read, RunEvents events, int maxOpen) {
    this.read = read;
    this.events = events;
    this.maxOpen = maxOpen;
  }

  /**
   * Completes once run changes are heard: a stream reads the state it starts with after this, so no change is lost
   * in between. The run events are listened to from the first watch on (an instance nobody watches hears nothing).
   */
  public synchronized Future<Void> listening() {
    if (listening == null) {
      events.onMissed(this::resync);
      listening = events.onChange(this::changed);
    }
    return listening;
  }

  /**
   * Calls {@code watcher} with the run's state after each change, until the returned handle is run.
   *
   * @return empty when the instance has its maximum of open watches already
   */
  public Optional<Runnable> watchRun(String runId, Consumer<Run> watcher) {
    return add(byRun, runId, watcher);
  }

  /** Calls {@code watcher} with the state of every run of the orchestration that changes; see {@link #watchRun}. */
  public Optional<Runnable> watchOrchestration(String workspace, String orchestrationId, Consumer<Run> watcher) {
    return add(byOrchestration, workspace + "/" + orchestrationId, watcher);
  }

  /** Open watches on this instance. */
  public int open() {
    return open.get();
  }

  private Optional<Runnable> add(Map<String, Set<Consumer<Run>>> watches, String key, Consumer<Run> watcher) {
    if (open.incrementAndGet() > maxOpen) {
      open.decrementAndGet();
      return Optional.empty();
    }
    watches.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(watcher);
    return Optional.of(() -> {
      watches.computeIfPresent(key, (k, set) -> {
        set.remove(watcher);
        return set.isEmpty() ? null : set;
      });
      open.decrementAndGet();
    });
  }

  private void changed(RunEvents.Change change) {
    if (byRun.containsKey(change.runId())
      || byOrchestration.containsKey(change.workspace() + "/" + change.orchestrationId())) {
      read(change.runId());
    }
  }

  /** Changes may have been missed (the run events were lost for a while): every watched run is read again. */
  private void resync() {
    byRun.keySet().forEach(this::read);
  }

  private void read(String runId) {
    if (reading.compute(runId, (id, inFlight) -> inFlight != null)) {
      return;
    }
    read.apply(runId).onComplete(result -> {
      boolean changedMeanwhile = Boolean.TRUE.equals(reading.remove(runId));
      if (result.succeeded()) {
        result.result().ifPresent(this::deliver);
      }
      if (changedMeanwhile) {
        read(runId);
      }
    });
  }

  private void deliver(Run run) {
    byRun.getOrDefault(run.id(), Set.of()).forEach(watcher -> watcher.accept(run));
    byOrchestration.getOrDefault(run.workspace() + "/" + run.orchestrationId(), Set.of())
      .forEach(watcher -> watcher.accept(run));
  }
}
