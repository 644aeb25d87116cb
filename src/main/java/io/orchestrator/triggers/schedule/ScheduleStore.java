package io.orchestrator.triggers.schedule;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the schedules of every instance live: one entry per active scheduled orchestration, ordered by next fire.
 * Every change is atomic. Versions order concurrent writers: an entry is only ever replaced or removed on behalf of
 * a version at least as new as the one it holds, and a removal leaves a short-lived tombstone with its version.
 */
public interface ScheduleStore {

  /** Version that outranks every real one: a deletion is final. */
  int DELETED = Integer.MAX_VALUE;

  /** What {@link #upsert} did. */
  enum Upsert {
    /** Added or replaced; the entry fires at its {@code scheduledForMs}. */
    ARMED,
    /** A newer version with the same spec: the pending fire (and any claim) was kept. */
    KEPT,
    /** This version or a newer one (or a removal of one) was already held: nothing changed. */
    IGNORED
  }

  /** What {@link #advance} did. */
  enum Advance { ADVANCED, REMOVED, NOT_FOUND, STALE }

  /** Adds the entry, or replaces an older version of it; {@code claim} is ignored. */
  Future<Upsert> upsert(ScheduleEntry entry);

  /**
   * Stops the orchestration's schedule on behalf of {@code version} ({@link #DELETED} for a deletion). Nothing is
   * written when nothing is held.
   *
   * @return true when an entry (or tombstone) was replaced by this removal's tombstone; false when nothing was held,
   *     or a newer version is held, which then stays
   */
  Future<Boolean> remove(String orchestrationId, int version);

  /**
   * Claims up to {@code max} entries due by now + {@code lookahead}, earliest first: each stays claimed by the
   * returned {@code claim} id until it is advanced, replaced or removed, or until {@code lease} (counted from now)
   * passes, when it is due again for anyone to claim.
   */
  Future<List<ScheduleEntry>> claimDue(int max, Duration lease, Duration lookahead);

  /**
   * Moves a claimed entry on to {@code next}, or removes it when {@code next} is empty. Does nothing unless the
   * entry is still held by {@code claimed.claim()}: a concurrent update, removal or re-claim wins.
   */
  Future<Advance> advance(ScheduleEntry claimed, Optional<Instant> next);

  /**
   * The entry held for the orchestration, as the scheduler will fire it: its pending fire ({@code scheduledForMs}, in
   * the past while being fired or overdue) and the anchor an interval counts from. A read only, no claim.
   *
   * @return empty when nothing is held, or only a removal's tombstone (inactive, deleted, a fired {@code once})
   */
  Future<Optional<ScheduleEntry>> find(String orchestrationId);

  /** The earliest score: the next fire, or a claim's expiry; empty when nothing is scheduled. */
  Future<Optional<Long>> nextDue();
}
