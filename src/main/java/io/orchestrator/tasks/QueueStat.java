package io.orchestrator.tasks;

/** A task queue at one moment: how many tasks wait and how long the oldest has waited. */
public record QueueStat(String workspace, String queue, long depth, long oldestAgeMs) {
}
