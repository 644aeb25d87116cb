package io.orchestrator.triggers.events;

import io.orchestrator.common.ApiException;
import io.orchestrator.common.Outages;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns event stream entries into runs, one poll at a time (never overlapping): take over entries that another
 * consumer left pending for {@code claimIdle} (it crashed), then wait up to {@code block} for new ones. An entry is
 * acknowledged after its runs are created; a failed one stays pending and is claimed again after {@code claimIdle}.
 * A malformed entry is acknowledged and logged, so it never blocks the stream.
 *
 * <p>An entry without an {@code eventId} gets {@code evt_<entry id>}: a redelivered entry starts nothing new.
 */
public final class EventConsumer {

  private static final Logger LOG = LoggerFactory.getLogger(EventConsumer.class);
  private static final long RETRY_MS = 1000;
  private static final long STOP_WAIT_MS = 10_000;

  /**
   * @param batch     entries read or claimed per command
   * @param block     longest wait for new entries in one read
   * @param claimIdle how long an entry must have been pending on a consumer before another takes it over
   */
  public record Settings(int batch, Duration block, Duration claimIdle) {

    /** Claims run at least twice per {@code claimIdle}, between 100 ms and 15 s apart. */
    long claimEveryMs() {
      return Math.max(100, Math.min(15_000, claimIdle.toMillis() / 2));
    }
  }

  private final Vertx vertx;
  private final EventStream stream;
  private final EventService events;
  private final Settings settings;
  private final Outages outages;
  private final Clock clock;
  private volatile boolean stopped;
  private volatile Future<Void> current = Future.succeededFuture();
  private long nextClaimAt;

  public EventConsumer(Vertx vertx, EventStream stream, EventService events, Settings settings, Outages outages,
                       Clock clock) {
    this.vertx = vertx;
    this.stream = stream;
    this.events = events;
    this.settings = settings;
    this.outages = outages;
    this.clock = clock;
  }

  /** Creates the consumer group when missing, then starts polling. */
  public Future<Void> start() {
    return stream.createGroup().onSuccess(v -> poll());
  }

  /**
   * Stops polling: aborts a read that is waiting for entries, then waits (at most 10 s) for the entries in hand to
   * be handled. Entries an aborted read had already taken stay pending and are claimed by another consumer.
   */
  public Future<Void> stop() {
    stopped = true;
    Promise<Void> done = Promise.promise();
    long timer = vertx.setTimer(STOP_WAIT_MS, id -> done.tryComplete());
    stream.close().onComplete(closed -> current.onComplete(ar -> {
      vertx.cancelTimer(timer);
      done.tryComplete();
    }));
    return done.future();
  }

  private void poll() {
    if (stopped) {
      return;
    }
    current = claimIfDue()
      .compose(v -> stream.readNew(settings.batch(), Duration.ofMillis(Math.min(settings.block().toMillis(),
        settings.claimEveryMs()))))
      .compose(this::handleAll);
    current.onComplete(ar -> {
      if (ar.succeeded()) {
        vertx.runOnContext(v -> poll());
      } else {
        onPollFailure(ar.cause());
      }
    });
  }

  private void onPollFailure(Throwable cause) {
    if (stopped) {
      return;
    }
    String message = String.valueOf(cause.getMessage());
    if (outages.of(cause).isPresent()) {
      LOG.debug("event stream poll failed, retrying in {} ms: {}", RETRY_MS, message);
    } else {
      LOG.warn("event stream poll failed, retrying in {} ms: {}", RETRY_MS, message);
    }
    vertx.setTimer(RETRY_MS, id -> {
      if (message.startsWith("NOGROUP")) {
        stream.createGroup().onComplete(ar -> poll());
      } else {
        poll();
      }
    });
  }

  private Future<Void> claimIfDue() {
    long now = clock.millis();
    if (now < nextClaimAt) {
      return Future.succeededFuture();
    }
    return stream.claimStale(settings.claimIdle(), settings.batch()).compose(entries -> {
      // A full batch means more may be waiting: claim again on the next poll.
      nextClaimAt = entries.size() >= settings.batch() ? now : now + settings.claimEveryMs();
      return handleAll(entries);
    });
  }

  private Future<Void> handleAll(List<EventStream.Entry> entries) {
    if (entries.isEmpty()) {
      return Future.succeededFuture();
    }
    return Future.join(entries.stream().map(this::handle).toList()).mapEmpty();
  }

  /** Never fails: a failure is logged and the entry left pending for a later claim. */
  private Future<Void> handle(EventStream.Entry entry) {
    Event event;
    try {
      event = parse(entry);
    } catch (ApiException | DecodeException e) {
      LOG.warn("dropping malformed event stream entry {}: {}", entry.id(), describe(e));
      return stream.ack(entry.id()).otherwiseEmpty();
    }
    return events.publish(event)
      .compose(published -> {
        LOG.debug("event {} of workspace {} (entry {}) started {} runs{}", published.eventId(), event.workspace(),
          entry.id(), published.runs().size(), published.replayed() ? " earlier" : "");
        return stream.ack(entry.id());
      })
      .onFailure(e -> LOG.warn("event stream entry {} not handled, left pending for a retry: {}", entry.id(),
        e.getMessage()))
      .otherwiseEmpty();
  }

  static Event parse(EventStream.Entry entry) {
    if (entry.event() == null) {
      throw ApiException.validation("event", "the entry has no 'event' field");
    }
    if (!(Json.decodeValue(entry.event()) instanceof JsonObject json)) {
      throw ApiException.validation("event", "must be a JSON object");
    }
    Event event = Event.fromStreamJson(json);
    return event.eventId() != null ? event : new Event(event.workspace(), event.type(), event.structureSlug(),
      event.recordId(), event.data(), EventService.EVENT_ID_PREFIX + entry.id());
  }

  private static String describe(Exception e) {
    if (e instanceof ApiException api && !api.details().isEmpty()) {
      return api.details().stream().map(d -> d.field() + " " + d.message()).toList().toString();
    }
    return e.getMessage();
  }
}
