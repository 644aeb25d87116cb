package io.orchestrator.tasks;

import java.util.function.BiConsumer;

/** Tells long-polling workers (in any instance) that a queue has a task. Best effort: polls also time out. */
public interface TaskSignal {

  void taskAvailable(String workspace, String queue);

  /** Registers a listener called with (workspace, queue) on any thread. */
  void onTaskAvailable(BiConsumer<String, String> listener);
}
