package io.orchestrator.definitions;

/** Parks the run in {@code waiting} for {@code delayMs}, then goes on to {@code nextStepId} (null ends the run). */
public record DelayStep(String id, String name, long delayMs, String nextStepId) implements Step {
}
