package io.orchestrator.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchestrator.common.Page;
import io.orchestrator.common.StoreUnavailableException;
import io.orchestrator.fixtures.ManualClock;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The batch loop on an in-memory store: order, batches, fencing, take-over, outages and stopping. */
class BulkProcessorTest {

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(30);

  private final ManualClock clock = new ManualClock(T0);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final OneBulk store = new OneBulk(runIds(25));
  private final List<String> acted = new ArrayList<>();
  private final List<String> redone = new ArrayList<>();
  private Predicate<String> outageOn = id -> false;

  private BulkProcessor processor(String owner) {
    BulkProcessor.RunAction action = (op, runId, redo) -> {
      if (outageOn.test(runId)) {
        return Future.failedFuture(new StoreUnavailableException("Redis", "down"));
      }
      acted.add(runId);
      if (redo) {
        redone.add(runId);
      }
      return Future.succeededFuture(runId.endsWith("7") ? Outcome.SKIPPED : Outcome.SUCCEEDED);
    };
    return new BulkProcessor(store, action, new BulkMeters(registry), clock,
      new BulkProcessor.Settings(10, Duration.ofMillis(5), LEASE), "ns", owner, ms -> Future.succeededFuture());
  }

  private static List<String> runIds(int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(String.format("run_%03d", i));
    }
    return ids;
  }

  @Test
  @DisplayName("acts on every matched run once, newest first, in batches; records counts and completes")
  void processesEverything() {
    assertThat(processor("a").claimAndProcess().result()).isTrue();

    List<String> newestFirst = new ArrayList<>(runIds(25));
    newestFirst.sort(Comparator.reverseOrder());
    assertThat(acted).containsExactlyElementsOf(newestFirst);
    assertThat(redone).isEmpty();
    assertThat(store.completed).isTrue();
    assertThat(store.tally).isEqualTo(new Tally(23, 2, 0));
    assertThat(store.begins).isEqualTo(3);
    assertThat(registry.get("orchestrator.bulk.runs").tag("action", "redrive").tag("outcome", "skipped").counter()
      .count()).isEqualTo(2);
    assertThat(processor("b").claimAndProcess().result()).as("nothing left to claim").isFalse();
  }

  @Test
  @DisplayName("an instance that lost its lease stops at the batch boundary and records nothing more")
  void lostLeaseStops() {
    store.stealAfterBegins = 2;

    processor("a").claimAndProcess();

    assertThat(acted).hasSize(20);
    assertThat(store.cursor).isEqualTo("run_015");
    assertThat(store.tally.total()).isEqualTo(10);
    assertThat(store.completed).isFalse();
  }

  @Test
  @DisplayName("a take-over redoes the batch the dead holder began, marking those runs as possibly done")
  void takeOverRedoesInFlightBatch() {
    store.cursor = "run_015";
    store.inFlightFloor = "run_005";
    store.leaseOwner = "dead";
    store.leaseUntil = T0.minusSeconds(1);
    store.token = 4;

    processor("b").claimAndProcess();

    assertThat(acted).startsWith("run_014", "run_013").hasSize(15);
    assertThat(redone).containsExactly("run_014", "run_013", "run_012", "run_011", "run_010", "run_009", "run_008",
      "run_007", "run_006", "run_005");
    assertThat(store.completed).isTrue();
    assertThat(registry.get("orchestrator.bulk.operations").tag("event", "resumed").counter().count()).isEqualTo(1);
  }

  @Test
  @DisplayName("a live lease keeps other instances off the operation")
  void liveLeaseIsNotTaken() {
    store.leaseOwner = "alive";
    store.leaseUntil = T0.plusSeconds(5);

    assertThat(processor("b").claimAndProcess().result()).isFalse();
    clock.advance(Duration.ofSeconds(6));
    assertThat(processor("b").claimAndProcess().result()).isTrue();
  }

  @Test
  @DisplayName("an outage fails the pass without recording the batch; the next claim redoes it as possibly done")
  void outagePausesAndRedoes() {
    outageOn = id -> id.equals("run_012");
    BulkProcessor processor = processor("a");

    Future<Boolean> pass = processor.claimAndProcess();

    assertThat(pass.failed()).isTrue();
    assertThat(store.cursor).isEqualTo("run_015");
    assertThat(store.inFlightFloor).isEqualTo("run_005");
    outageOn = id -> false;
    acted.clear();
    assertThat(processor.claimAndProcess().result()).as("its own lease is taken again at once").isTrue();
    assertThat(redone).hasSize(10).first().isEqualTo("run_014");
    assertThat(store.completed).isTrue();
    assertThat(store.tally.total()).isEqualTo(25);
  }

  @Test
  @DisplayName("stopping hands the lease back at the next batch boundary")
  void stopReleases() {
    BulkProcessor processor = processor("a");
    store.onBegin = processor::stop;

    processor.claimAndProcess();

    assertThat(acted).hasSize(10);
    assertThat(store.leaseOwner).isNull();
    assertThat(store.leaseUntil).isNull();
    assertThat(store.completed).isFalse();
  }

  /** One running redrive operation over {@code ids}, with the fenced semantics of the real store. */
  private final class OneBulk implements BulkStore {

    final List<String> ids;
    final BulkOperation op = new BulkOperation("bulk_1", "ws", "orch_1", BulkAction.REDRIVE,
      new BulkFilter(null, null, null, "c", List.of()), false, 25, 0, 0, 0, T0, "alice", null);
    String cursor;
    String inFlightFloor;
    String leaseOwner;
    Instant leaseUntil;
    long token;
    Tally tally = Tally.NONE;
    boolean completed;
    int begins;
    int stealAfterBegins = -1;
    Runnable onBegin = () -> { };

    OneBulk(List<String> ids) {
      this.ids = ids;
    }

    @Override
    public Future<Optional<Claim>> claim(String namespace, String owner, Instant now, Instant until) {
      if (completed || (leaseUntil != null && !leaseUntil.isBefore(now) && !owner.equals(leaseOwner))) {
        return Future.succeededFuture(Optional.empty());
      }
      leaseOwner = owner;
      leaseUntil = until;
      token++;
      return Future.succeededFuture(Optional.of(new Claim(op, token, cursor, inFlightFloor)));
    }

    @Override
    public Future<List<String>> nextRunIds(String bulkId, String from, int count) {
      return Future.succeededFuture(ids.stream().filter(id -> from == null || id.compareTo(from) < 0)
        .sorted(Comparator.reverseOrder()).limit(count).toList());
    }

    @Override
    public Future<Boolean> begin(String bulkId, long held, String floor, Instant until) {
      if (held != token) {
        return Future.succeededFuture(false);
      }
      inFlightFloor = floor;
      leaseUntil = until;
      begins++;
      onBegin.run();
      if (begins == stealAfterBegins) {
        token++;
      }
      return Future.succeededFuture(true);
    }

    @Override
    public Future<Boolean> advance(String bulkId, long held, String to, Tally batch, Instant until) {
      if (held != token) {
        return Future.succeededFuture(false);
      }
      cursor = to;
      inFlightFloor = null;
      tally = new Tally(tally.succeeded() + batch.succeeded(), tally.skipped() + batch.skipped(),
        tally.failed() + batch.failed());
      leaseUntil = until;
      return Future.succeededFuture(true);
    }

    @Override
    public Future<Boolean> complete(String bulkId, long held, Instant at) {
      completed = held == token;
      return Future.succeededFuture(completed);
    }

    @Override
    public Future<Void> release(String bulkId, long held) {
      if (held == token) {
        leaseOwner = null;
        leaseUntil = null;
      }
      return Future.succeededFuture();
    }

    @Override
    public Future<Created> create(NewBulk bulk) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Optional<BulkOperation>> findByIdempotencyKey(String workspace, String orchestrationId,
                                                               String key) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Optional<BulkOperation>> find(String workspace, String id, Instant keptSince) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Page<BulkOperation>> list(String workspace, int page, int pageSize, Instant keptSince) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Integer> deleteCreatedBefore(Instant before, int max) {
      throw new UnsupportedOperationException();
    }
  }
}
