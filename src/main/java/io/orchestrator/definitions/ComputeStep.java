package io.orchestrator.definitions;

/**
 * Calls a function. {@code timeoutMs} bounds one attempt; {@code retry} is null when the step is tried once.
 * {@code nextStepId} null ends the run.
 */
public record ComputeStep(String id, String name, String functionId, long timeoutMs, String nextStepId,
                          RetryPolicy retry) implements Step {

  public static final long DEFAULT_TIMEOUT_MS = 300_000L;
}
