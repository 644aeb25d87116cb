package io.orchestrator.triggers.schedule;

import io.orchestrator.schedule.Schedule;
import java.time.Instant;

/**
 * One orchestration's schedule as the {@link ScheduleStore} holds it.
 *
 * @param spec           {@link ScheduledTrigger#spec()}: what fires when, in canonical form
 * @param anchorMs       epoch ms an interval counts from (the orchestration's {@code updatedAt} when armed)
 * @param scheduledForMs epoch ms of the pending fire
 * @param claim          the claim holding the entry, from {@link ScheduleStore#claimDue}; null when not claimed
 */
public record ScheduleEntry(String orchestrationId, String workspace, int version, String spec, long anchorMs,
                            long scheduledForMs, String claim) {

  /** The schedule this entry follows. */
  public Schedule schedule() {
    return trigger().schedule(Instant.ofEpochMilli(anchorMs));
  }

  public ScheduledTrigger trigger() {
    return ScheduledTrigger.fromSpec(spec);
  }

  public Instant scheduledFor() {
    return Instant.ofEpochMilli(scheduledForMs);
  }
}
