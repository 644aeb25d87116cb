package io.orchestrator.triggers.events;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One instance's consumer of the shared event stream in a consumer group: every entry is delivered to one consumer
 * of the group and stays pending until acknowledged; entries pending too long on a consumer (it died) can be claimed.
 */
public interface EventStream {

  /**
   * A stream entry.
   *
   * @param id    the stream entry id
   * @param event the value of the entry's {@code event} field; null when the entry has none (or was deleted)
   */
  record Entry(String id, String event) {
  }

  /** Creates the stream and the consumer group when missing; an existing group is kept as it is. */
  Future<Void> createGroup();

  /** Up to {@code max} entries never delivered to any consumer, waiting at most {@code block} for one. */
  Future<List<Entry>> readNew(int max, Duration block);

  /** Takes over up to {@code max} entries that have been pending on any consumer for at least {@code minIdle}. */
  Future<List<Entry>> claimStale(Duration minIdle, int max);

  /** Acknowledges an entry: it is done and never delivered again. */
  Future<Void> ack(String entryId);

  /**
   * Deletes the entries added before {@code cutoff} that every consumer group of the stream is done with: an entry
   * still pending in a group, or not yet delivered to it, is kept, and so is every entry after it.
   *
   * @return how many entries were deleted
   */
  Future<Long> trim(Instant cutoff);

  /** Releases the connection used for blocking reads; a read in progress fails. */
  Future<Void> close();
}
