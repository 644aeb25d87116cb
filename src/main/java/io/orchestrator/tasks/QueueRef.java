package io.orchestrator.tasks;

/** One workspace's task queue, by name. */
public record QueueRef(String workspace, String queue) {
}
