package io.orchestrator.bulk;

/** What a bulk operation's action came to for one run; the operation's counters add these up. */
public enum Outcome {
  /** The action was applied (or had been, by an instance that died before recording it). */
  SUCCEEDED,
  /** The action does not apply to the run (any more): finished for a cancel, changed under the operation, gone. */
  SKIPPED,
  /** The action applies but could not be done (a replay of an orchestration that is inactive, say). */
  FAILED;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
