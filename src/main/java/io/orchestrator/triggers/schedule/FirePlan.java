package io.orchestrator.triggers.schedule;

import io.orchestrator.schedule.MisfirePolicy;
import io.orchestrator.schedule.MissedOccurrences;
import io.orchestrator.schedule.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the scheduler does with one claimed fire: pure, so the misfire rules are unit-tested with plain instants.
 *
 * <p>A fire is <em>misfired</em> when it is handled more than {@link #MISFIRE_THRESHOLD} after its time, or when a
 * later fire of the same schedule is already due too (the scheduler fell behind by more than a period, typically
 * because none ran). An on-time fire starts a run. A misfired one follows the trigger's {@link MisfirePolicy}:
 * {@code fire-once} starts one run now for it and every fire missed after it ({@code missedCount} = those later
 * fires), {@code skip} starts none. Either way the schedule resumes at its first fire after now: missed fires are
 * never replayed one by one.
 *
 * @param run         whether to start a run
 * @param missedCount fires after {@code scheduledFor} up to now (capped at {@link Schedule#DEFAULT_MISSED_CAP}),
 *                    which get no run of their own
 * @param misfired    the fire was handled too late (see above)
 * @param next        the fire to wait for next; empty when the schedule is exhausted (a {@code once})
 */
public record FirePlan(boolean run, int missedCount, boolean misfired, Optional<Instant> next) {

  /** How late a fire may be handled and still count as on time, e.g. after a claim lease expired. */
  public static final Duration MISFIRE_THRESHOLD = Duration.ofSeconds(60);

  /** Plans the fire at {@code scheduledFor} of {@code schedule}, handled at {@code now}. */
  public static FirePlan of(Schedule schedule, MisfirePolicy policy, Instant scheduledFor, Instant now) {
    if (now.isBefore(scheduledFor)) {
      // A clock a millisecond behind the timer: handled as on time, and never rescheduled to the same fire.
      now = scheduledFor;
    }
    MissedOccurrences missed = schedule.missedBetween(scheduledFor, now, Schedule.DEFAULT_MISSED_CAP);
    boolean late = Duration.between(scheduledFor, now).compareTo(MISFIRE_THRESHOLD) > 0;
    boolean misfired = late || missed.count() > 0;
    boolean run = !misfired || policy == MisfirePolicy.FIRE_ONCE;
    return new FirePlan(run, missed.count(), misfired, missed.next());
  }
}
