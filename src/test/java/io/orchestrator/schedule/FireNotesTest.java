package io.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Fires carry the DST note that placed them; a preview lists exactly the scheduler's chain of fires")
class FireNotesTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static Fire plain(String at) {
    return new Fire(Instant.parse(at), Optional.empty());
  }

  private static Fire noted(String at, DstNote note) {
    return new Fire(Instant.parse(at), Optional.of(note));
  }

  @Test
  @DisplayName("Berlin 2026-03-29: a daily 02:30 does not exist and fires at 03:00 CEST (01:00Z), noted dst-gap")
  void springForwardGap() {
    Schedule daily = Schedule.cron("30 2 * * *", BERLIN);

    assertThat(daily.nextFires(Instant.parse("2026-03-27T12:00:00Z"), 4)).containsExactly(
      plain("2026-03-28T01:30:00Z"),
      noted("2026-03-29T01:00:00Z", DstNote.GAP),
      plain("2026-03-30T00:30:00Z"),
      plain("2026-03-31T00:30:00Z"));
  }

  @Test
  @DisplayName("Berlin 2026-10-25: a daily 02:30 occurs twice and fires once, at the first (00:30Z), noted dst-overlap")
  void fallBackOverlap() {
    Schedule daily = Schedule.cron("30 2 * * *", BERLIN);

    assertThat(daily.nextFires(Instant.parse("2026-10-23T12:00:00Z"), 3)).containsExactly(
      plain("2026-10-24T00:30:00Z"),
      noted("2026-10-25T00:30:00Z", DstNote.OVERLAP),
      plain("2026-10-26T01:30:00Z"));
  }

  @Test
  @DisplayName("every 15 minutes: 02:00, 02:15, 02:30, 02:45 and 03:00 of the gap are one fire at 01:00Z, never two")
  void severalGapTimesCollapseIntoOneFire() {
    Schedule quarterly = Schedule.cron("*/15 * * * *", BERLIN);

    List<Fire> fires = quarterly.nextFires(Instant.parse("2026-03-29T00:40:00Z"), 4);

    assertThat(fires).containsExactly(
      plain("2026-03-29T00:45:00Z"),
      noted("2026-03-29T01:00:00Z", DstNote.GAP),
      plain("2026-03-29T01:15:00Z"),
      plain("2026-03-29T01:30:00Z"));
  }

  @Test
  @DisplayName("hourly on the spring day: 02:00 and 03:00 are one fire at the gap's end, so the day has 23")
  void hourlyCollapsesAtTheGapsEnd() {
    Schedule hourly = Schedule.cron("0 * * * *", BERLIN);

    List<Fire> day = hourly.nextFires(Instant.parse("2026-03-28T22:59:00Z"), 23);

    assertThat(day).extracting(Fire::at).doesNotHaveDuplicates().isSorted()
      .startsWith(Instant.parse("2026-03-28T23:00:00Z"), Instant.parse("2026-03-29T00:00:00Z"),
        Instant.parse("2026-03-29T01:00:00Z"), Instant.parse("2026-03-29T02:00:00Z"))
      .endsWith(Instant.parse("2026-03-29T21:00:00Z"));
    assertThat(day).filteredOn(fire -> fire.note().isPresent())
      .containsExactly(noted("2026-03-29T01:00:00Z", DstNote.GAP));
  }

  @Test
  @DisplayName("a fire at the gap's end is not fired again: the scheduler's next after it is 03:15 CEST")
  void theSchedulersNextAfterTheGapFireMovesOn() {
    Schedule quarterly = Schedule.cron("*/15 * * * *", BERLIN);
    Instant gapEnd = Instant.parse("2026-03-29T01:00:00Z");

    assertThat(quarterly.nextAfter(gapEnd.minusMillis(1))).contains(gapEnd);
    assertThat(quarterly.nextAfter(gapEnd)).contains(Instant.parse("2026-03-29T01:15:00Z"));
    assertThat(quarterly.missedBetween(gapEnd, gapEnd, Schedule.DEFAULT_MISSED_CAP).count()).isZero();
  }

  @Test
  @DisplayName("a preview's fires are the scheduler's chain of nextAfter, through both Berlin transitions")
  void previewIsTheSchedulersChain() {
    Schedule quarterly = Schedule.cron("*/15 1-3 * * *", BERLIN);

    for (String from : List.of("2026-03-28T23:00:00Z", "2026-10-24T22:00:00Z")) {
      List<Fire> preview = quarterly.nextFires(Instant.parse(from), 100);
      Optional<Instant> expected = quarterly.nextAfter(Instant.parse(from));
      for (Fire fire : preview) {
        assertThat(Optional.of(fire.at())).isEqualTo(expected);
        expected = quarterly.nextAfter(fire.at());
      }
      assertThat(preview).extracting(Fire::at).doesNotHaveDuplicates();
    }
  }

  @Test
  @DisplayName("interval fires are never noted, even across a transition, and keep their anchor's phase")
  void intervalHasNoNotes() {
    Instant anchor = Instant.parse("2026-03-29T00:10:00.500Z");

    assertThat(Schedule.interval(1_800_000, anchor).nextFires(anchor, 3)).containsExactly(
      plain("2026-03-29T00:40:00.500Z"), plain("2026-03-29T01:10:00.500Z"), plain("2026-03-29T01:40:00.500Z"));
  }

  @Test
  @DisplayName("a once fire is listed while ahead, with no note, then nothing")
  void onceOnceThenNothing() {
    Instant at = Instant.parse("2026-10-25T00:30:00Z");

    assertThat(Schedule.once(at).nextFires(at.minusSeconds(60), 10)).containsExactly(Fire.unmoved(at));
    assertThat(Schedule.once(at).nextFires(at, 10)).isEmpty();
  }

  @Test
  @DisplayName("count bounds: 0 lists nothing, 100 lists 100, a negative count is refused")
  void countBounds() {
    Schedule everyMinute = Schedule.cron("* * * * *", BERLIN);

    assertThat(everyMinute.nextFires(Instant.EPOCH, 0)).isEmpty();
    assertThat(everyMinute.nextFires(Instant.EPOCH, 100)).hasSize(100);
    assertThatThrownBy(() -> everyMinute.nextFires(Instant.EPOCH, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
