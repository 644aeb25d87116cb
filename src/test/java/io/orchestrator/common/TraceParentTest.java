package io.orchestrator.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceParentTest {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT = "00f067aa0ba902b7";
  private static final String VALID = "00-" + TRACE + "-" + PARENT + "-01";

  @Test
  @DisplayName("a version-00 header gives its trace id, parent id and flags")
  void parsesVersion00() {
    TraceParent parsed = TraceParent.parse(VALID).orElseThrow();
    assertThat(parsed.traceId()).isEqualTo(TRACE);
    assertThat(parsed.parentId()).isEqualTo(PARENT);
    assertThat(parsed.flags()).isEqualTo(1);
    assertThat(parsed.sampled()).isTrue();
    assertThat(TraceParent.parse("00-" + TRACE + "-" + PARENT + "-00").orElseThrow().sampled()).isFalse();
  }

  @Test
  @DisplayName("format and parse round-trip; flags are two lower-case hex digits")
  void formatsHeaders() {
    assertThat(TraceParent.header(TRACE, PARENT, 1)).isEqualTo(VALID);
    assertThat(TraceParent.header(TRACE, PARENT, 0xab)).endsWith("-ab");
    assertThat(TraceParent.parse(TraceParent.header(TRACE, PARENT, 0xab)).orElseThrow().flags()).isEqualTo(0xab);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "",
    "garbage",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",              // no flags
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",            // short flags
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",          // version 00 with a tail
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01 ",
    "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",           // dash misplaced
    "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",           // wrong separators
    "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",           // upper-case trace id
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",           // upper-case parent id
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A",           // upper-case flags
    "0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",           // upper-case version
    "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",           // not hex
    "00-00000000000000000000000000000000-00f067aa0ba902b7-01",           // all-zero trace id
    "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",           // all-zero parent id
    "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",           // forbidden version
    "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",          // future version, tail without dash
    "zz-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    "-00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"})
  @DisplayName("every malformed header is refused")
  void refusesMalformed(String header) {
    assertThat(TraceParent.parse(header)).isEmpty();
  }

  @Test
  @DisplayName("null and several traceparent headers are refused")
  void refusesAbsentOrRepeated() {
    assertThat(TraceParent.parse((String) null)).isEmpty();
    assertThat(TraceParent.parse((List<String>) null)).isEmpty();
    assertThat(TraceParent.parse(List.of())).isEmpty();
    assertThat(TraceParent.parse(List.of(VALID, VALID))).isEmpty();
    assertThat(TraceParent.parse(List.of(VALID))).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-will-add",
    "fe-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-"})
  @DisplayName("a future version is read by the version-00 prefix (its tail after a dash ignored)")
  void readsFutureVersions(String header) {
    TraceParent parsed = TraceParent.parse(header).orElseThrow();
    assertThat(parsed.traceId()).isEqualTo(TRACE);
    assertThat(parsed.parentId()).isEqualTo(PARENT);
  }

  @Test
  @DisplayName("span ids are 16 lower-case hex digits, not zero, and new on every call")
  void newSpanIds() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = TraceParent.newSpanId();
      assertThat(id).matches("[0-9a-f]{16}").isNotEqualTo("0000000000000000");
      seen.add(id);
    }
    assertThat(seen).hasSize(10_000);
  }

  @Test
  @DisplayName("a run's own trace id is its id's 128 bits in hex: stable, valid, different per run")
  void traceIdOfRun() {
    Ids ids = new Ids(Clock.fixed(Instant.parse("2026-12-07T03:00:00Z"), ZoneOffset.UTC));
    String runId = ids.run();
    String traceId = TraceParent.traceIdOfRun(runId);
    assertThat(traceId).matches("[0-9a-f]{32}").isEqualTo(TraceParent.traceIdOfRun(runId));
    assertThat(TraceParent.parse(TraceParent.header(traceId, PARENT, 1))).isPresent();
    assertThat(TraceParent.traceIdOfRun(ids.run())).isNotEqualTo(traceId);
    assertThat(TraceParent.traceIdOfRun("run_not-a-ulid")).matches("[0-9a-f]{32}");
    assertThat(TraceParent.runSpanId(runId)).matches("[0-9a-f]{16}").isEqualTo(TraceParent.runSpanId(runId))
      .isNotEqualTo(TraceParent.runSpanId(ids.run()));
  }

  @Test
  @DisplayName("tracestate is passed on when printable and at most 512 characters")
  void traceState() {
    assertThat(TraceParent.traceState("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"))
      .isEqualTo("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
    assertThat(TraceParent.traceState(null)).isNull();
    assertThat(TraceParent.traceState("  ")).isNull();
    assertThat(TraceParent.traceState("a=b\u0001")).isNull();
    assertThat(TraceParent.traceState("a=" + "x".repeat(600))).isNull();
  }
}
