package io.orchestrator.schedule;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.Optional;

/**
 * Turns a wall-clock time into the fire a schedule makes of it, under the DST policy of {@link Schedule#cron}.
 *
 * <p>The mapping never decreases: a later wall-clock time never resolves to an earlier instant. {@link CronSchedule}
 * relies on that to find the next fire by scanning wall-clock times forward.
 */
final class WallClock {

  private WallClock() {
  }

  /**
   * A time in a gap resolves to the end of the gap (the transition instant), noted {@link DstNote#GAP}, not to "same
   * time shifted by the gap length" as {@link java.time.ZonedDateTime#ofLocal} does: a 02:30 job must run at 03:00
   * EDT, not 03:30. A time in an overlap resolves to its first occurrence, under the offset in force before the
   * transition, noted {@link DstNote#OVERLAP}.
   */
  static Fire resolve(LocalDateTime local, ZoneId zone) {
    ZoneOffsetTransition transition = zone.getRules().getTransition(local);
    if (transition == null) {
      return Fire.unmoved(local.atZone(zone).toInstant());
    }
    if (transition.isGap()) {
      return new Fire(transition.getInstant(), Optional.of(DstNote.GAP));
    }
    return new Fire(local.toInstant(transition.getOffsetBefore()), Optional.of(DstNote.OVERLAP));
  }
}
