package io.orchestrator.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrator.common.Ids;
import io.orchestrator.common.Partitions;
import io.orchestrator.runs.DueClaim;
import io.orchestrator.runs.HistoryRecord;
import io.orchestrator.runs.QueueDepths;
import io.orchestrator.runs.Run;
import io.orchestrator.runs.RunFilter;
import io.orchestrator.runs.RunIdPage;
import io.orchestrator.runs.RunStatus;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What spans partitions (DESIGN.md §11), on a 4-partition store: a run lives in the partition its id names and is
 * claimed only there; lists, totals, batches and gauges fan out over every partition and merge exactly as one
 * index would answer.
 */
@DisplayName("Partitioned run store: each run in its id's partition, reads over all of them merged")
class PartitionedRunStoreIT extends RedisStoreTestBase {

  private static final int PARTITIONS = 4;
  private Keyspace partitioned;
  private RedisRunStore runs;
  private Ids ids;

  @BeforeEach
  void partitionedStore() throws Exception {
    partitioned = new Keyspace("t" + UUID.randomUUID().toString().replace("-", ""), new Partitions(PARTITIONS));
    runs = await(RedisRunStore.create(vertx, redis, partitioned, clock));
    ids = new Ids(clock, partitioned.partitions());
  }

  @AfterEach
  void deletePartitionedKeys() throws Exception {
    for (var key : await(redis.send(Request.cmd(Command.KEYS).arg(partitioned.keyPattern())))) {
      await(redis.send(Request.cmd(Command.DEL).arg(key.toString())));
    }
  }

  /** Creates {@code perPartition} runs in every partition, 1 ms apart, round-robin; returns their ids in order. */
  private List<String> createAcross(int perPartition) throws Exception {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < perPartition; i++) {
      for (int p = 0; p < PARTITIONS; p++) {
        String id = ids.run(p);
        await(runs.create(newRun(id)));
        created.add(id);
        clock.advance(Duration.ofMillis(1));
      }
    }
    return created;
  }

  @Test
  @DisplayName("a run's keys are its id's partition's, and a claim of one partition takes only that partition's runs")
  void runsLiveAndAreClaimedInTheirPartition() throws Exception {
    List<String> created = createAcross(2);

    for (String id : created) {
      int partition = partitioned.partitions().of(id);
      for (int p = 0; p < PARTITIONS; p++) {
        long exists = await(redis.send(Request.cmd(Command.EXISTS).arg(partitioned.partition(p).run(id)))).toLong();
        assertThat(exists).as("run %s in partition %d", id, p).isEqualTo(p == partition ? 1 : 0);
      }
    }
    DueClaim claim = await(runs.claimDue(2, 10, LEASE));
    assertThat(claim.runs()).extracting(Run::id).containsExactly(created.get(2), created.get(6));
    assertThat(await(runs.claimDue(2, 10, LEASE)).runs()).isEmpty();
    assertThat(await(runs.queueDepths())).isEqualTo(new QueueDepths(6, 0, 2, 0));
  }

  @Test
  @DisplayName("List Runs merges the partitions newest first with exact totals; pages tile the whole list")
  void listMergesNewestFirstWithExactTotals() throws Exception {
    List<String> created = createAcross(5);
    await(runs.claimDue(1, 3, LEASE));
    List<String> newestFirst = new ArrayList<>(created);
    java.util.Collections.reverse(newestFirst);

    assertThat(await(runs.listIds(WS, ORCH, RunFilter.of(null), 0, 100))).isEqualTo(new RunIdPage(newestFirst, 20));
    List<String> paged = new ArrayList<>();
    for (int offset = 0; offset < 20; offset += 3) {
      RunIdPage page = await(runs.listIds(WS, ORCH, RunFilter.of(null), offset, 3));
      assertThat(page.total()).isEqualTo(20);
      paged.addAll(page.ids());
    }
    assertThat(paged).isEqualTo(newestFirst);
    // the claim took partition 1's three oldest runs (created 2nd, 6th and 10th)
    assertThat(await(runs.listIds(WS, ORCH, RunFilter.of(RunStatus.RUNNING), 0, 2)))
      .isEqualTo(new RunIdPage(List.of(created.get(9), created.get(5)), 3));
    assertThat(await(runs.listIds(WS, ORCH, RunFilter.of(RunStatus.PENDING), 10, 100)).total()).isEqualTo(17);
    assertThat(await(runs.listIds(WS, ORCH, new RunFilter(null, T0.plusMillis(4), T0.plusMillis(8), null), 0, 100)))
      .isEqualTo(new RunIdPage(List.of(created.get(7), created.get(6), created.get(5), created.get(4)), 4));
  }

  @Test
  @DisplayName("equal start times across partitions order by id, descending, as one index would")
  void equalTimesOrderById() throws Exception {
    List<String> same = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      String id = ids.run(p);
      await(runs.create(newRun(id)));
      same.add(id);
    }
    List<String> byIdDescending = same.stream().sorted(java.util.Comparator.reverseOrder()).toList();
    assertThat(await(runs.listIds(WS, ORCH, RunFilter.of(null), 0, 10)).ids()).isEqualTo(byIdDescending);
  }

  @Test
  @DisplayName("a correlation id's runs are found in every partition; getMany keeps the ids' order across them")
  void correlationAndGetManySpanPartitions() throws Exception {
    List<String> created = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      String id = ids.run(p);
      await(runs.create(new io.orchestrator.runs.NewRun(id, WS, ORCH, 3, "manual", new JsonObject(), new JsonObject(),
        new JsonObject(), "order-9", "validate", null, null)));
      created.add(id);
      clock.advance(Duration.ofMillis(1));
    }
    List<String> newestFirst = new ArrayList<>(created);
    java.util.Collections.reverse(newestFirst);
    assertThat(await(runs.listIds(WS, null, new RunFilter(null, null, null, "order-9"), 0, 10)))
      .isEqualTo(new RunIdPage(newestFirst, 4));
    List<String> shuffled = List.of(created.get(2), "run_missing", created.get(0), created.get(3), created.get(1));
    assertThat(await(runs.getMany(shuffled))).extracting(Run::id)
      .containsExactly(created.get(2), created.get(0), created.get(3), created.get(1));
  }

  @Test
  @DisplayName("the history hand-over and eviction batch over every partition; timers and leases are read over all")
  void archiveTimersAndLeasesSpanPartitions() throws Exception {
    List<String> created = createAcross(1);
    for (int p = 0; p < PARTITIONS; p++) {
      Run run = await(runs.claimDue(p, 1, LEASE)).runs().get(0);
      if (p == 3) {
        await(runs.park(run.id(), run.fence(), "wait", "next", Duration.ofSeconds(5 + p)));
      } else {
        await(runs.finish(run.id(), run.fence(), RunStatus.COMPLETED, null, null));
      }
    }
    assertThat(await(runs.claimDue(3, 0, LEASE)).nextTimerDue()).contains(clock.instant().plusSeconds(8).toEpochMilli());
    assertThat(await(runs.claimDue(2, 0, LEASE)).nextTimerDue()).isEmpty();
    assertThat(await(runs.finishedBatch(10))).extracting(HistoryRecord::id)
      .containsExactlyInAnyOrder(created.get(0), created.get(1), created.get(2));
    assertThat(await(runs.finishedBatch(2))).hasSize(2);
    assertThat(await(runs.markPersisted(created.subList(0, 3), Duration.ofSeconds(1)))).isEqualTo(3);
    assertThat(await(runs.queueDepths())).isEqualTo(new QueueDepths(0, 1, 0, 0));

    clock.advance(Duration.ofSeconds(2));
    List<String> expired = await(runs.expiredIds(10));
    assertThat(expired).containsExactlyInAnyOrder(created.get(0), created.get(1), created.get(2));
    assertThat(await(runs.dropExpired(expired))).isEqualTo(3);
    assertThat(await(runs.getMany(created))).extracting(Run::id).containsExactly(created.get(3));
  }

  @Test
  @DisplayName("expired leases are re-queued in every partition")
  void leasesRequeuedInEveryPartition() throws Exception {
    createAcross(1);
    for (int p = 0; p < PARTITIONS; p++) {
      assertThat(await(runs.claimDue(p, 1, LEASE)).runs()).hasSize(1);
    }
    clock.advance(LEASE.plusSeconds(1));
    assertThat(await(runs.requeueExpiredLeases(10))).isEqualTo(PARTITIONS);
    assertThat(await(runs.queueDepths()).ready()).isEqualTo(PARTITIONS);
  }

  @Test
  @DisplayName("a run under an idempotency key is minted in the key's partition and found again by the key; a run "
    + "id minted elsewhere for a key is refused")
  void idempotencyKeyPicksThePartition() throws Exception {
    String id = ids.run(WS, ORCH, "key-1");
    assertThat(partitioned.partitions().of(id))
      .isEqualTo(partitioned.partitions().ofIdempotencyKey(WS, ORCH, "key-1"));
    assertThat(await(runs.create(newRun(id, WS, ORCH, null, "key-1"))).created()).isTrue();
    assertThat(await(runs.idempotentRunId(WS, ORCH, "key-1"))).contains(id);
    assertThat(await(runs.create(newRun(ids.run(WS, ORCH, "key-1"), WS, ORCH, null, "key-1"))).runId())
      .isEqualTo(id);

    int elsewhere = (partitioned.partitions().ofIdempotencyKey(WS, ORCH, "key-2") + 1) % PARTITIONS;
    assertThatThrownBy(() -> await(runs.create(newRun(ids.run(elsewhere), WS, ORCH, null, "key-2"))))
      .hasCauseInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a deep page found by score search equals the merge of every partition's head, filters and ties too")
  void deepPagesBySearchEqualTheHeadMerge() throws Exception {
    List<String> created = createAcross(6);
    for (int p = 0; p < PARTITIONS; p++) {
      // two more runs per partition at one shared instant: ties ordered by id
      await(runs.create(newRun(ids.run(p))));
      await(runs.create(newRun(ids.run(p))));
    }
    await(runs.claimDue(1, 4, LEASE));
    RunIndexReader heads = new RunIndexReader(redis, partitioned, Integer.MAX_VALUE);
    RunIndexReader search = new RunIndexReader(redis, partitioned, 0);
    List<RunFilter> filters = List.of(RunFilter.of(null), RunFilter.of(RunStatus.PENDING), RunFilter.of(RunStatus.RUNNING),
      new RunFilter(null, T0.plusMillis(3), T0.plusMillis(17), null),
      new RunFilter(RunStatus.PENDING, T0.plusMillis(5), null, null));
    for (RunFilter filter : filters) {
      for (int offset = 0; offset <= created.size() + 9; offset += 1) {
        for (int count : new int[] {1, 3, 10}) {
          assertThat(await(search.listIds(WS, ORCH, filter, offset, count)))
            .as("%s offset %d count %d", filter, offset, count)
            .isEqualTo(await(heads.listIds(WS, ORCH, filter, offset, count)));
        }
      }
    }
  }
}
