package io.orchestrator.triggers.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.common.ApiException;
import io.orchestrator.common.FieldError;
import io.orchestrator.common.Page;
import io.orchestrator.common.PageRequest;
import io.orchestrator.definitions.DefinitionValidator;
import io.orchestrator.definitions.Orchestration;
import io.orchestrator.definitions.OrchestrationDraft;
import io.orchestrator.definitions.OrchestrationService;
import io.orchestrator.definitions.OrchestrationStore;
import io.orchestrator.fixtures.ManualClock;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SchedulePreview: saved triggers from the scheduler's entry, unsaved ones validated like a create")
class SchedulePreviewTest {

  private static final String WS = "acme";
  private static final Instant NOW = Instant.parse("2026-03-28T12:00:00Z");

  private final ManualClock clock = new ManualClock(NOW);
  private final Map<String, Orchestration> orchestrations = new HashMap<>();
  private final Map<String, ScheduleEntry> entries = new HashMap<>();
  private final SchedulePreview preview = new SchedulePreview(
    new OrchestrationService(new Definitions(), null, new DefinitionValidator(clock), null, clock),
    new Entries(), new DefinitionValidator(clock), clock);

  private static JsonObject cron(String expression, String zone) {
    return new JsonObject().put("type", "scheduled").put("scheduleType", "cron").put("cronExpression", expression)
      .put("timezone", zone);
  }

  private static JsonObject interval(long ms) {
    return new JsonObject().put("type", "scheduled").put("scheduleType", "interval").put("interval", ms);
  }

  private Orchestration save(String id, JsonObject trigger, boolean active, Instant updatedAt) {
    Orchestration o = new Orchestration(id, WS, id, "n", null, 2, active, trigger, new JsonArray(), updatedAt,
      updatedAt, "u", "u");
    orchestrations.put(id, o);
    return o;
  }

  private JsonObject saved(String ref, int count) {
    return await(preview.saved(WS, ref, count)).toJson();
  }

  private static <T> T await(Future<T> future) {
    assertThat(future.succeeded()).as("%s", future.cause()).isTrue();
    return future.result();
  }

  private static ApiException failure(Future<?> future) {
    assertThat(future.failed()).as("expected a failure, got %s", future.result()).isTrue();
    return (ApiException) future.cause();
  }

  @Test
  @DisplayName("a saved Berlin cron lists at, localTime with the offset and the dst-gap note")
  void savedCronAcrossTheGap() {
    save("orch_1", cron("30 2 * * *", "Europe/Berlin"), true, NOW);

    JsonArray next = saved("orch_1", 2).getJsonArray("next");

    assertThat(next).containsExactly(
      new JsonObject().put("at", "2026-03-29T01:00:00.000Z").put("localTime", "2026-03-29T03:00:00.000+02:00")
        .put("note", "dst-gap"),
      new JsonObject().put("at", "2026-03-30T00:30:00.000Z").put("localTime", "2026-03-30T02:30:00.000+02:00"));
  }

  @Test
  @DisplayName("an interval is previewed from the scheduler's entry: its pending fire first, on the entry's anchor")
  void savedIntervalFollowsTheEntry() {
    Orchestration o = save("orch_2", interval(60_000), true, NOW.minusSeconds(7));
    // the entry kept an older anchor (a later edit kept the schedule): its phase, not updatedAt's, is what fires
    Instant anchor = NOW.minusSeconds(3_600 + 20);
    entries.put(o.id(), new ScheduleEntry(o.id(), WS, 1, ScheduledTrigger.from(o.trigger()).orElseThrow().spec(),
      anchor.toEpochMilli(), NOW.plusSeconds(40).toEpochMilli(), null));

    JsonArray next = saved("orch_2", 3).getJsonArray("next");

    assertThat(next.stream().map(f -> ((JsonObject) f).getString("at"))).containsExactly(
      "2026-03-28T12:00:40.000Z", "2026-03-28T12:01:40.000Z", "2026-03-28T12:02:40.000Z");
    assertThat(next.getJsonObject(0).getString("localTime")).isEqualTo("2026-03-28T12:00:40.000+00:00");
  }

  @Test
  @DisplayName("a pending fire already due (being fired, or overdue) is left out; the list starts after now")
  void overduePendingFireLeftOut() {
    Orchestration o = save("orch_3", interval(60_000), true, NOW.minusSeconds(600));
    entries.put(o.id(), new ScheduleEntry(o.id(), WS, 2, ScheduledTrigger.from(o.trigger()).orElseThrow().spec(),
      NOW.minusSeconds(600).toEpochMilli(), NOW.minusSeconds(120).toEpochMilli(), "claim-1"));

    assertThat(saved("orch_3", 1).getJsonArray("next").getJsonObject(0).getString("at"))
      .isEqualTo("2026-03-28T12:01:00.000Z");
  }

  @Test
  @DisplayName("without an entry of the current schedule: what the scheduler would arm now (interval from updatedAt)")
  void withoutEntryFromWhatWouldBeArmed() {
    Orchestration o = save("orch_4", interval(60_000), true, NOW.minusMillis(30_500));
    entries.put(o.id(), new ScheduleEntry(o.id(), WS, 1, "{\"scheduleType\":\"interval\",\"interval\":5000}",
      0, NOW.plusSeconds(1).toEpochMilli(), null));

    assertThat(saved("orch_4", 1).getJsonArray("next").getJsonObject(0).getString("at"))
      .isEqualTo("2026-03-28T12:00:29.500Z");
  }

  @Test
  @DisplayName("an inactive orchestration and a once that already fired have no fires")
  void inactiveAndFiredOnce() {
    save("orch_5", cron("0 9 * * *", "UTC"), false, NOW);
    save("orch_6", new JsonObject().put("type", "scheduled").put("scheduleType", "once")
      .put("scheduledAt", "2026-03-28T11:00:00.000Z"), true, NOW.minus(Duration.ofDays(1)));

    assertThat(saved("orch_5", 10)).isEqualTo(new JsonObject().put("next", new JsonArray()));
    assertThat(saved("orch_6", 10)).isEqualTo(new JsonObject().put("next", new JsonArray()));
  }

  @Test
  @DisplayName("a saved trigger that is not scheduled → 400; an unknown id → 404; count outside 1..100 → 400")
  void savedRefusals() {
    save("orch_7", new JsonObject().put("type", "on-demand"), true, NOW);
    save("orch_8", cron("0 9 * * *", "UTC"), true, NOW);

    assertThat(failure(preview.saved(WS, "orch_7", 10)).status()).isEqualTo(400);
    assertThat(failure(preview.saved(WS, "orch_missing", 10)).status()).isEqualTo(404);
    assertThat(failure(preview.saved("other-ws", "orch_8", 10)).status()).isEqualTo(404);
    assertThat(failure(preview.saved(WS, "orch_8", 0)).details()).containsExactly(
      new FieldError("count", "must be between 1 and 100"));
    assertThat(failure(preview.saved(WS, "orch_8", 101)).status()).isEqualTo(400);
    assertThat(await(preview.saved(WS, "orch_8", 100)).fires()).hasSize(100);
  }

  @Test
  @DisplayName("an unsaved cron lists collapsed gap times once; an unsaved once lists its instant; default count 10")
  void unsaved() {
    JsonObject body = new JsonObject().put("trigger", cron("*/30 2 * * *", "Europe/Berlin")).put("count", 3);

    assertThat(await(preview.unsaved(body)).toJson().getJsonArray("next").stream()
      .map(f -> ((JsonObject) f).getString("at") + " " + ((JsonObject) f).getString("note", "-")))
      .containsExactly("2026-03-29T01:00:00.000Z dst-gap", "2026-03-30T00:00:00.000Z -",
        "2026-03-30T00:30:00.000Z -");
    assertThat(await(preview.unsaved(new JsonObject().put("trigger", cron("0 * * * *", "UTC")))).fires())
      .hasSize(SchedulePreview.DEFAULT_COUNT);
    JsonObject once = new JsonObject().put("type", "scheduled").put("scheduleType", "once")
      .put("scheduledAt", "2026-04-01T09:00:00+02:00");
    assertThat(await(preview.unsaved(new JsonObject().put("trigger", once))).toJson().getJsonArray("next"))
      .containsExactly(new JsonObject().put("at", "2026-04-01T07:00:00.000Z")
        .put("localTime", "2026-04-01T07:00:00.000+00:00"));
  }

  @Test
  @DisplayName("an unsaved interval counts from now, as a create now would")
  void unsavedIntervalFromNow() {
    JsonObject body = new JsonObject().put("trigger", interval(90_000).put("timezone", "Asia/Tokyo")).put("count", 2);

    assertThat(await(preview.unsaved(body)).toJson().getJsonArray("next")).containsExactly(
      new JsonObject().put("at", "2026-03-28T12:01:30.000Z").put("localTime", "2026-03-28T21:01:30.000+09:00"),
      new JsonObject().put("at", "2026-03-28T12:03:00.000Z").put("localTime", "2026-03-28T21:03:00.000+09:00"));
  }

  @Test
  @DisplayName("unsaved refusals name the field as a create does: cron, zone, trigger type, missing trigger, count")
  void unsavedRefusals() {
    assertThat(failure(preview.unsaved(new JsonObject().put("trigger", cron("61 * * * *", "Mars/Olympus"))))
      .details()).extracting(FieldError::field).containsExactly("trigger.cronExpression", "trigger.timezone");
    assertThat(failure(preview.unsaved(new JsonObject().put("trigger", new JsonObject().put("type", "on-demand"))))
      .details()).extracting(FieldError::field).containsExactly("trigger.type");
    assertThat(failure(preview.unsaved(new JsonObject().put("trigger", new JsonObject().put("type", "event-driven")
      .put("eventType", "record.created")))).details()).extracting(FieldError::field).containsExactly("trigger.type");
    assertThat(failure(preview.unsaved(new JsonObject())).details()).containsExactly(
      new FieldError("trigger", "required"));
    assertThat(failure(preview.unsaved(new JsonObject().put("trigger", cron("0 9 * * *", "UTC")).put("count", 101)))
      .details()).extracting(FieldError::field).containsExactly("count");
  }

  /** Definitions by id within {@link #WS}; only the lookup the preview makes. */
  private final class Definitions implements OrchestrationStore {

    @Override
    public Future<Optional<Orchestration>> find(String workspace, String ref) {
      return Future.succeededFuture(Optional.ofNullable(orchestrations.get(ref))
        .filter(o -> o.workspace().equals(workspace)));
    }

    @Override
    public Future<Orchestration> insert(String workspace, String id, String slug, OrchestrationDraft draft,
                                        String actor, Instant now) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Page<Orchestration>> list(String workspace, PageRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Orchestration> update(String workspace, String ref, Set<Integer> acceptedVersions,
                                        OrchestrationDraft draft, String actor, Instant now) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Boolean> delete(String workspace, String ref, Instant now) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Optional<Orchestration>> findVersion(String workspace, String id, int version) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Optional<Page<Orchestration>>> listVersions(String workspace, String id, int page, int pageSize) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<List<Orchestration>> activeByTriggerType(String workspace, String triggerType) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Optional<Orchestration>> findByHttpPath(String workspace, String path) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<List<Orchestration>> allActiveScheduled() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<List<Orchestration>> findLiveByIds(Set<String> ids) {
      throw new UnsupportedOperationException();
    }
  }

  /** Schedule entries by orchestration id; only the read the preview makes. */
  private final class Entries implements ScheduleStore {

    @Override
    public Future<Optional<ScheduleEntry>> find(String orchestrationId) {
      return Future.succeededFuture(Optional.ofNullable(entries.get(orchestrationId)));
    }

    @Override
    public Future<Upsert> upsert(ScheduleEntry entry) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Boolean> remove(String orchestrationId, int version) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<List<ScheduleEntry>> claimDue(int max, Duration lease, Duration lookahead) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Advance> advance(ScheduleEntry claimed, Optional<Instant> next) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Optional<Long>> nextDue() {
      throw new UnsupportedOperationException();
    }
  }
}
