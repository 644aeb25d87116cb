package io.orchestrator.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.InMemoryRunStore;
import io.orchestrator.fixtures.ManualClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RunWatchersTest {

  /** Run events a test sends by hand. */
  private static final class HandEvents implements RunEvents {
    final List<Consumer<Change>> listeners = new ArrayList<>();
    final List<Runnable> missed = new ArrayList<>();

    @Override
    public void onMissed(Runnable action) {
      missed.add(action);
    }

    @Override
    public Future<Void> onChange(Consumer<Change> listener) {
      listeners.add(listener);
      return Future.succeededFuture();
    }

    void send(String runId, String orchestrationId) {
      listeners.forEach(l -> l.accept(new Change(runId, 1, "ws", orchestrationId)));
    }
  }

  /** Reads the in-memory store, but holds each read until the test lets it complete. */
  private static final class HeldReads {
    final InMemoryRunStore store = new InMemoryRunStore(new ManualClock(Instant.parse("2026-03-01T10:00:00Z")));
    final List<Promise<Void>> held = new ArrayList<>();

    Future<Optional<Run>> get(String runId) {
      Promise<Void> read = Promise.promise();
      held.add(read);
      return read.future().compose(v -> store.get(runId));
    }
  }

  private HeldReads store;
  private HandEvents events;
  private RunWatchers watchers;

  @BeforeEach
  void setUp() {
    store = new HeldReads();
    events = new HandEvents();
    watchers = new RunWatchers(store::get, events, 3);
    watchers.listening();
    store.store.create(new NewRun("run_1", "ws", "orch_1", 1, "manual", null, new JsonObject(), null, null, "a", null,
      null));
  }

  @Test
  @DisplayName("a change of a watched run is read once for all its watchers; unwatched runs are not read")
  void oneReadPerChange() {
    List<Run> first = new ArrayList<>();
    List<Run> second = new ArrayList<>();
    List<Run> byOrchestration = new ArrayList<>();
    watchers.watchRun("run_1", first::add);
    watchers.watchRun("run_1", second::add);
    watchers.watchOrchestration("ws", "orch_1", byOrchestration::add);

    events.send("run_1", "orch_1");
    events.send("run_other", "orch_other");
    store.held.forEach(read -> read.complete());

    assertThat(store.held).hasSize(1);
    assertThat(first).extracting(Run::id).containsExactly("run_1");
    assertThat(second).extracting(Run::id).containsExactly("run_1");
    assertThat(byOrchestration).extracting(Run::id).containsExactly("run_1");
  }

  @Test
  @DisplayName("changes during a read cause exactly one more read after it")
  void changesDuringAReadCoalesce() {
    List<Run> seen = new ArrayList<>();
    watchers.watchRun("run_1", seen::add);

    events.send("run_1", "orch_1");
    events.send("run_1", "orch_1");
    events.send("run_1", "orch_1");
    assertThat(store.held).hasSize(1);
    store.held.get(0).complete();
    assertThat(store.held).hasSize(2);
    store.held.get(1).complete();

    assertThat(store.held).hasSize(2);
    assertThat(seen).hasSize(2);
  }

  @Test
  @DisplayName("at most maxOpen watches; an ended watch frees its place and hears nothing more")
  void boundedAndCancellable() {
    List<Run> seen = new ArrayList<>();
    Runnable unwatch = watchers.watchRun("run_1", seen::add).orElseThrow();
    watchers.watchRun("run_2", run -> { }).orElseThrow();
    watchers.watchOrchestration("ws", "orch_9", run -> { }).orElseThrow();

    assertThat(watchers.watchRun("run_3", run -> { })).isEmpty();
    assertThat(watchers.open()).isEqualTo(3);
    unwatch.run();
    assertThat(watchers.open()).isEqualTo(2);
    events.send("run_1", "orch_1");
    assertThat(store.held).isEmpty();
    assertThat(seen).isEmpty();
    assertThat(watchers.watchRun("run_3", run -> { })).isPresent();
  }

  @Test
  @DisplayName("when run events were missed, every watched run is read again (an orchestration watch waits for news)")
  void missedEventsRereadWatchedRuns() {
    List<Run> seen = new ArrayList<>();
    watchers.watchRun("run_1", seen::add);
    watchers.watchOrchestration("ws", "orch_1", run -> { });

    events.missed.forEach(Runnable::run);
    store.held.forEach(Promise::complete);

    assertThat(store.held).hasSize(1);
    assertThat(seen).extracting(Run::id).containsExactly("run_1");
  }
}
