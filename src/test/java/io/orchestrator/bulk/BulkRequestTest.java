package io.orchestrator.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrator.common.ApiException;
import io.orchestrator.common.FieldError;
import io.orchestrator.runs.RunFilter;
import io.orchestrator.runs.RunStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BulkRequestTest {

  private static BulkRequest parse(String action, JsonObject filter) {
    return BulkRequest.parse(new JsonObject().put("action", action).put("filter", filter));
  }

  private static List<String> fields(Runnable parse) {
    try {
      parse.run();
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.code()).isEqualTo("validation_error");
      return e.details().stream().map(FieldError::field).toList();
    }
    throw new AssertionError("no validation error");
  }

  @Test
  @DisplayName("every filter field is read; they all end up in the filter, timestamps to the millisecond")
  void readsEveryField() {
    BulkRequest request = parse("redrive", new JsonObject().put("status", "failed")
      .put("startedAfter", "2026-03-01T11:00:00.2501+01:00").put("startedBefore", "2026-03-02T00:00:00Z")
      .put("correlationId", "order-1").put("runIds", new JsonArray().add("run_a").add("run_b").add("run_a")));

    assertThat(request.action()).isEqualTo(BulkAction.REDRIVE);
    BulkFilter filter = request.filter();
    assertThat(filter.status()).isEqualTo(RunStatus.FAILED);
    assertThat(filter.startedAfter()).isEqualTo(Instant.parse("2026-03-01T10:00:00.251Z"));
    assertThat(filter.startedBefore()).isEqualTo(Instant.parse("2026-03-02T00:00:00Z"));
    assertThat(filter.correlationId()).isEqualTo("order-1");
    assertThat(filter.runIds()).containsExactly("run_a", "run_b");
    assertThat(BulkFilter.fromJson(filter.toJson())).isEqualTo(filter);
  }

  @Test
  @DisplayName("a filter must limit the runs: no field, or only an empty runIds, is refused")
  void filterNeedsAField() {
    assertThat(fields(() -> parse("cancel", new JsonObject()))).containsExactly("filter");
    assertThat(fields(() -> parse("cancel", new JsonObject().put("runIds", new JsonArray()))))
      .containsExactly("filter");
    assertThat(fields(() -> BulkRequest.parse(new JsonObject().put("action", "cancel")))).containsExactly("filter");
    assertThat(parse("cancel", new JsonObject().put("runIds", new JsonArray().add("run_x"))).filter().runIds())
      .containsExactly("run_x");
  }

  @Test
  @DisplayName("at most 1,000 run ids")
  void runIdLimit() {
    JsonArray thousand = new JsonArray();
    IntStream.range(0, 1000).forEach(i -> thousand.add("run_" + i));
    assertThat(parse("cancel", new JsonObject().put("runIds", thousand)).filter().runIds()).hasSize(1000);

    thousand.add("run_1000");
    assertThat(fields(() -> parse("cancel", new JsonObject().put("runIds", thousand))))
      .containsExactly("filter.runIds");
  }

  @Test
  @DisplayName("an unknown action or status, malformed timestamps and startedAfter later than startedBefore are "
    + "all reported at once")
  void badValues() {
    assertThat(fields(() -> parse("delete", new JsonObject().put("status", "stuck")
      .put("startedAfter", "yesterday").put("startedBefore", "2026-03-01T10:00:00").put("runIds", "run_1")
      .put("correlationId", ""))))
      .containsExactly("action", "filter.status", "filter.startedAfter", "filter.startedBefore",
        "filter.correlationId", "filter.runIds");
    assertThat(fields(() -> parse("cancel", new JsonObject().put("startedAfter", "2026-03-02T00:00:00Z")
      .put("startedBefore", "2026-03-01T00:00:00Z")))).containsExactly("filter.startedAfter");
    assertThat(fields(() -> parse("cancel", new JsonObject().put("stauts", "failed")))).contains("filter.stauts");
    assertThat(fields(() -> parse("cancel", new JsonObject().put("runIds", new JsonArray().add(1)))))
      .containsExactly("filter.runIds[0]");
  }

  @Test
  @DisplayName("the snapshot ends at the request: runs started later are not matched; a range wholly after it "
    + "matches nothing")
  void snapshotBound() {
    Instant created = Instant.parse("2026-03-01T12:00:00Z");
    BulkFilter open = parse("cancel", new JsonObject().put("status", "waiting")).filter();
    BulkFilter later = parse("cancel", new JsonObject().put("startedBefore", "2026-03-05T00:00:00Z")).filter();
    BulkFilter earlier = parse("cancel", new JsonObject().put("startedBefore", "2026-03-01T00:00:00Z")).filter();
    BulkFilter future = parse("cancel", new JsonObject().put("startedAfter", "2026-03-05T00:00:00Z")).filter();

    assertThat(open.snapshot(created)).isEqualTo(new RunFilter(RunStatus.WAITING, null, created, null));
    assertThat(later.snapshot(created).startedBefore()).isEqualTo(created);
    assertThat(earlier.snapshot(created).startedBefore()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
    RunFilter empty = future.snapshot(created);
    assertThat(empty.startedAfter()).isEqualTo(empty.startedBefore());
  }

  @Test
  @DisplayName("a parse failure is a client error, never an exception of another kind")
  void neverOtherExceptions() {
    assertThatThrownBy(() -> BulkRequest.parse(new JsonObject().put("action", 3).put("filter", "x")))
      .isInstanceOf(ApiException.class);
  }
}
