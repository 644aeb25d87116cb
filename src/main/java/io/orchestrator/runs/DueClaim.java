package io.orchestrator.runs;

import java.util.List;
import java.util.Optional;

/**
 * What one {@link RunQueue#claimDue} call did.
 *
 * @param runs               runs now held by the caller, as stored after the claim
 * @param completedOnWake    due times (epoch ms) of the runs that completed on waking, without a worker: their last
 *                           step was a delay, so nothing was left to execute
 * @param timerBacklog       true when the call took as many timers as it may: more may be due, claim again at once
 * @param nextTimerDue       the due time (epoch ms) of the partition's earliest timer after the call, if any
 */
public record DueClaim(List<Run> runs, List<Long> completedOnWake, boolean timerBacklog,
                       Optional<Long> nextTimerDue) {

  public static final DueClaim NOTHING = new DueClaim(List.of(), List.of(), false, Optional.empty());
}
