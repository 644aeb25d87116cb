package io.orchestrator.runs;

import io.vertx.core.Future;
import java.util.function.Consumer;

/**
 * Every visible change of any run, from whichever instance made it (the store publishes one per transition, with the
 * run's new event sequence). Listeners are called on an event loop and must not block.
 */
public interface RunEvents {

  /** A run changed: its event sequence is now {@code seq}. */
  record Change(String runId, long seq, String workspace, String orchestrationId) {
  }

  /**
   * @return completes once changes are heard (from then on none is missed, but for the gaps {@code missed}
   *     reports)
   */
  Future<Void> onChange(Consumer<Change> listener);

  /** Calls {@code action} whenever changes may have been missed (the channel was lost and is heard again). */
  void onMissed(Runnable action);
}
