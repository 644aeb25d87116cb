package io.orchestrator.definitions;

/**
 * Told after a definition changed, so triggers take effect at once (schedules are rescheduled, deleted or
 * deactivated ones stop). Called after the change is stored; a listener's failure never undoes the change.
 */
public interface DefinitionListener {

  /** Created or updated (also when deactivated): {@code orchestration} is the new current version. */
  void saved(Orchestration orchestration);

  /** Deleted: no trigger of it may start a run any more. */
  void deleted(Orchestration orchestration);
}
